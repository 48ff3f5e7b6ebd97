from __future__ import annotations

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base
from .types import BigId


class Attachment(Base):
    """A file sent with a message (the booking's `.ics`)."""

    __tablename__ = "attachment"

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id", ondelete="CASCADE"), index=True)
    #: the name the recipient sees, e.g. `knowledge-exchange.ics`
    filename: Mapped[str] = mapped_column(String(200))
    #: its MIME type, e.g. `text/calendar`
    content_type: Mapped[str] = mapped_column(String(100))
    content: Mapped[bytes] = mapped_column(LargeBinary)
