"""Notifications' personal data (docs/privacy.md): its part of a subject access request, erasure,
and retention, in the shape every service shares (shared/privacy.py).

Notifications holds who to write to (the bookings projection: name, email, language), each
application's manage link, the reminders of their bookings, and every message sent (recipient,
subject, bodies, attachments). A person is found by registration's application ids and by the
lookup key of their email (so a message to them is found even without a booking).
"""

from __future__ import annotations

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from shared import audit, privacy
from shared.privacy import PrivacyParts, Subject, among, changed, rows_json

from .delivery import delete_mail_files
from .models import Attachment, Booking, ManageLink, Message, Reminder

RETAINED: list[str] = ["the audit log of staff changes: what was changed and when, with this person's email (and the name beside it) erased"]


def _found(session: Session, subject: Subject) -> tuple[list[Booking], set[str]]:
    """The subject's bookings and every address of theirs that messages went to."""
    settings = session.info["kx_settings"]
    bookings = [b for b in session.scalars(select(Booking))
                if b.application_id in subject.application_ids or subject.matches(settings, b.email)]
    recipients = session.scalars(select(Message.recipient).distinct())
    emails = {b.email for b in bookings} | {r for r in recipients if subject.matches(settings, r)}
    return bookings, emails


def export(session: Session, subject: Subject) -> dict:
    bookings, emails = _found(session, subject)
    messages = session.scalars(select(Message).where(Message.recipient.in_(emails)).order_by(Message.id))
    return {
        "bookings": rows_json(bookings, "exchange_id", "name", "email", "language", "status"),
        "messages": rows_json(messages, "recipient", "subject", "template", "language", "status", "created_at",
                              "sent_at", "text_body"),
        "audit": audit.export(session, subject),
    }


def _forget(session: Session, booking_ids, application_ids, emails) -> dict[str, int]:
    """Delete the bookings, their reminders and links, and the messages to `emails` (None: everyone)
    with their files in the embedded mail sink."""
    messages = select(Message.id).where(among(Message.recipient, emails))
    sent_as = None if emails is None else session.scalars(
        select(Message.message_id_header).where(among(Message.recipient, emails))).all()
    session.execute(update(Reminder).where(Reminder.message_id.in_(messages)).values(message_id=None))
    session.execute(update(Message).where(Message.resend_of.in_(messages)).values(resend_of=None))
    erased = {
        "reminder": changed(session.execute(delete(Reminder).where(among(Reminder.booking_id, booking_ids)))),
        "attachment": changed(session.execute(delete(Attachment).where(Attachment.message_id.in_(messages)))),
        "message": changed(session.execute(delete(Message).where(among(Message.recipient, emails)))),
        "booking": changed(session.execute(delete(Booking).where(among(Booking.id, booking_ids)))),
        "manage_link": changed(session.execute(
            delete(ManageLink).where(among(ManageLink.application_id, application_ids)))),
        "mail_file": delete_mail_files(session.info["kx_settings"], sent_as),
    }
    if emails is not None:
        erased["outbox"] = privacy.scrub_outbox(session, emails)
    return erased


def erase(session: Session, subject: Subject) -> dict:
    bookings, emails = _found(session, subject)
    application_ids = set(subject.application_ids) | {b.application_id for b in bookings}
    erased = {**_forget(session, [b.id for b in bookings], application_ids, emails), "audit": audit.erase(session, subject)}
    return {"erased": erased, "retained": RETAINED}


def forget_everyone(session: Session) -> int:
    """Past retention the programme's whole delivery log goes: every booking, link and message."""
    outbox = session.info["kx_service"].outbox
    sent = changed(session.execute(delete(outbox).where(outbox.sent_at.is_not(None))))
    return sent + sum(_forget(session, None, None, None).values()) + audit.forget_everyone(session)


PARTS = PrivacyParts(export, erase, forget_everyone)
HANDLERS = privacy.handlers(PARTS)
RETENTION = privacy.retention_job(PARTS)
