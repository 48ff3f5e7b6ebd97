from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shared.db import UtcDateTime, utcnow

from .base import Base
from .types import BigId

PENDING, SENT, FAILED = "pending", "sent", "failed"


class Message(Base):
    """One email to one person: rendered when its event is handled, sent later by the worker.

    (event, recipient, template) is unique, so a redelivered event, or a worker racing another on
    it, can never create a second message. The row keeps everything needed to send it again.
    """

    __tablename__ = "message"
    __table_args__ = (
        UniqueConstraint("event_id", "recipient", "template"),
        # The sender's query: pending messages whose time has come.
        Index("ix_message_status_next_attempt_at", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(BigId, primary_key=True, autoincrement=True)
    #: what caused it: a bus event's id, or `announcement:<exchange>:<version>`, `reminder:<id>`,
    #: `resend:<uuid>` for messages raised inside notifications
    event_id: Mapped[str] = mapped_column(String(64))
    #: the address it goes to, as the event gave it
    recipient: Mapped[str] = mapped_column(String(320), index=True)
    #: which template wrote it (`confirmation`, `reminder`, `claim_queried`...)
    template: Mapped[str] = mapped_column(String(60))
    #: `en` or `cy`: the language it was written in
    language: Mapped[str] = mapped_column(String(2))
    subject: Mapped[str] = mapped_column(String(300))
    #: the plain-text part
    text_body: Mapped[str] = mapped_column(Text)
    #: the HTML part
    html_body: Mapped[str] = mapped_column(Text)
    #: the RFC 5322 Message-ID header, fixed at creation: a copy sent twice (a crash after the
    #: SMTP server accepted it and before it was marked sent) carries the same id
    message_id_header: Mapped[str] = mapped_column(String(255), unique=True)
    #: pending, sent or failed
    status: Mapped[str] = mapped_column(String(10), default=PENDING)
    #: SMTP attempts made so far
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    #: not to be tried before this moment (back-off after a temporary failure)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: a worker has claimed it until then; after that another may (the first one died)
    claimed_until: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)
    #: why the last attempt failed: the SMTP code and text, or the kind of error; never the body
    error: Mapped[str | None] = mapped_column(String(500), nullable=True)
    #: the application whose manage link the message carries: its bodies and attachments are
    #: stored with the link masked (`…/manage/abc…`) and the sender puts the working link in
    #: (operations/links.py); null for a message without one
    link_of: Mapped[int | None] = mapped_column(Integer, nullable=True)
    #: the message this one resends, when staff pressed "resend"
    resend_of: Mapped[int | None] = mapped_column(ForeignKey("message.id"), nullable=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utcnow)
    #: when the SMTP server accepted it (or its .eml file was written)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime, nullable=True)

    attachments = relationship("Attachment", order_by="Attachment.id", lazy="selectin",
                               cascade="all, delete-orphan")
