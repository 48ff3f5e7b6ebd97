from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.projections import ProjectedRow

from .base import Base


class ManageLink(ProjectedRow, Base):
    """An application's manage token, sealed, from the newest event that carried it.

    Registration stores the token hashed, so only events raised by the application itself (and a
    replacement of its link) carry it, sealed (shared/link_seal.py); a later promotion or reminder
    finds it here. It is opened only at the moment a message is sent (operations/links.py): stored
    message bodies show the link masked.
    """

    __tablename__ = "manage_link"

    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: the token sealed with the link key: never the token itself
    sealed: Mapped[str] = mapped_column(String(400))
    #: the token's first three characters, what a masked link shows (`…/manage/abc…`)
    hint: Mapped[str] = mapped_column(String(3))
