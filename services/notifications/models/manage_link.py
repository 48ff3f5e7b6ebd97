from __future__ import annotations

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


class ManageLink(Base):
    """An application's manage token, remembered from the first event that carried it.

    Registration stores the token hashed, so only events raised by the application itself carry
    it; a later promotion or reminder finds it here, and shared/manage_tokens.py builds the links.
    """

    __tablename__ = "manage_link"

    application_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    #: the token itself: every message to this application links with it
    token: Mapped[str] = mapped_column(String(200))
