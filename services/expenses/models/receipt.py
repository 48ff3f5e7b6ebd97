"""Receipt files uploaded by claimants: the file lives on disk under a random name, this is its record."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import UtcDateTime, utcnow

from .base import Base


class Receipt(Base):
    """One uploaded file, checked by its content, owned by the claimant who uploaded it."""

    __tablename__ = "receipts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: the claimant (application) who uploaded it; nobody else may attach or see it (finance aside)
    application_id: Mapped[int] = mapped_column(Integer, index=True)
    #: random file name under the receipts folder (never derived from the upload's name)
    stored_name: Mapped[str] = mapped_column(String(64), unique=True)
    #: application/pdf | image/jpeg | image/png, from the content, not the name
    content_type: Mapped[str] = mapped_column(String(40))
    size: Mapped[int] = mapped_column(Integer)
    #: sha256 of the content: the same file on two claims is flagged as a duplicate
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    #: the upload's name, cleaned, only to label the download
    filename: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
