"""Reminders: a persisted schedule per confirmed booking, turned into messages exactly once.

For each session of the exchange (online orientation, the exchange itself, online reflection)
one reminder per configured offset before it (`KX_REMINDER_OFFSETS`, default 7d,1d), and a
feedback request `KX_FEEDBACK_AFTER` after the reflection session (or after the exchange, when it
has none). (booking, kind, offset) is unique, so scheduling again only moves the times.

The "remind" job takes due rows (`FOR UPDATE SKIP LOCKED`), writes each one's message and marks
it done in the same transaction: several workers, or a restart, never send one twice. A worker
that was down sends what fell due meanwhile when it comes back, but never absurdly late: a
reminder whose session has started is skipped, and of several reminders of one session due at
once only the nearest goes (one "tomorrow" rather than "in a week" and "tomorrow" together).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import inspect, select, update
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.manage_tokens import learning_link, manage_link
from shared.service import Runtime

from ..config import MailSettings, mail_settings
from ..models import Booking, Exchange, Reminder
from ..models.booking import CONFIRMED
from ..models.reminder import CANCELLED, DONE, SCHEDULED, SKIPPED
from . import links
from .brief import ExchangeView
from .messages import queue_message

log = logging.getLogger(__name__)

SESSIONS = ("orientation", "exchange", "reflection")
FEEDBACK = "feedback"
#: a feedback request is still worth sending this long after it fell due; later it is skipped
FEEDBACK_GRACE = timedelta(days=14)
BATCH = 100


def schedule(session: Session, booking: Booking, exchange: ExchangeView, mail: MailSettings,
             now: datetime | None = None) -> None:
    """Create or move this booking's reminders to match the exchange's current times.

    A new reminder already due when the booking is made is recorded as skipped: the
    confirmation that goes now says everything it would.
    """
    now = now or utcnow()
    wanted = _wanted(exchange, mail)
    existing = {}
    if not inspect(booking).pending:  # a booking not yet written has none written either
        existing = {(r.kind, r.offset_minutes): r for r in session.scalars(
            select(Reminder).where(Reminder.booking_id == booking.id))}
    # ...but an earlier event of this batch may have scheduled some, not yet written
    existing.update({(r.kind, r.offset_minutes): r for r in session.new
                     if isinstance(r, Reminder) and r.booking_id == booking.id})
    for key, due_at in wanted.items():
        row = existing.get(key)
        if row is None:
            session.add(Reminder(booking_id=booking.id, exchange_id=exchange.id, kind=key[0],
                                 offset_minutes=key[1], due_at=due_at,
                                 status=SCHEDULED if due_at > now else SKIPPED))
        elif row.status == SCHEDULED:
            row.due_at = due_at
    for key, row in existing.items():
        if key not in wanted and row.status == SCHEDULED:
            row.status = CANCELLED  # its session was removed, or the offsets were reconfigured


def cancel(session: Session, booking_id: int, kinds: tuple[str, ...] = (*SESSIONS, FEEDBACK)) -> None:
    session.flush()  # reminders scheduled earlier in this transaction are among them
    session.execute(update(Reminder)
                    .where(Reminder.booking_id == booking_id, Reminder.status == SCHEDULED, Reminder.kind.in_(kinds))
                    .values(status=CANCELLED))


def reschedule_exchange(session: Session, exchange: ExchangeView, mail: MailSettings) -> None:
    """The exchange's times changed: move every confirmed booking's reminders."""
    session.flush()  # bookings recorded earlier in this transaction are among them
    for booking in session.scalars(select(Booking).where(Booking.exchange_id == exchange.id,
                                                         Booking.status == CONFIRMED)):
        schedule(session, booking, exchange, mail)


def _wanted(exchange: ExchangeView, mail: MailSettings) -> dict[tuple[str, int], datetime]:
    wanted = {}
    for kind in SESSIONS:
        session = exchange.session(kind)
        if session is None:
            continue
        for offset in mail.reminder_offsets:
            wanted[(kind, -_minutes(offset))] = session.starts_at - offset
    after = exchange.reflection.starts_at if exchange.reflection else exchange.ends_at
    wanted[(FEEDBACK, _minutes(mail.feedback_after))] = after + mail.feedback_after
    return wanted


def _minutes(offset: timedelta) -> int:
    return int(offset.total_seconds() // 60)


def remind_due(runtime: Runtime, clock: Callable[[], datetime] = utcnow) -> int:
    """Turn due reminders into messages; returns how many rows it settled."""
    mail = mail_settings(runtime.settings)
    now = clock()
    with runtime.session() as session, session.begin():
        due = session.scalars(
            select(Reminder).where(Reminder.status == SCHEDULED, Reminder.due_at <= now)
            .order_by(Reminder.due_at).limit(BATCH).with_for_update(skip_locked=True)).all()
        for reminder in due:
            reminder.status = _settle(session, reminder, now, mail)
        return len(due)


def _superseded(session: Session, reminder: Reminder, now: datetime) -> bool:
    """A later reminder of the same session is due too: only the latest due one goes.

    Decided from the table, not the batch, so two workers holding the two reminders in different
    batches still agree: the latest never yields to anyone, every earlier one yields to it.
    """
    return session.scalar(select(Reminder.id).where(
        Reminder.booking_id == reminder.booking_id, Reminder.kind == reminder.kind, Reminder.id != reminder.id,
        Reminder.due_at > reminder.due_at, Reminder.due_at <= now,
        Reminder.status.in_((SCHEDULED, DONE))).limit(1)) is not None


def _settle(session: Session, reminder: Reminder, now: datetime, mail: MailSettings) -> str:
    booking = session.get(Booking, reminder.booking_id)
    exchange_row = session.get(Exchange, reminder.exchange_id)
    if booking is None or booking.status != CONFIRMED or exchange_row is None:
        return CANCELLED
    if _superseded(session, reminder, now):
        return SKIPPED
    exchange = ExchangeView.from_row(exchange_row)
    if _too_late(reminder, exchange, now):
        log.info("reminder %d skipped: its moment has passed", reminder.id)
        return SKIPPED
    link = links.known(session, booking.application_id)
    token = links.masked_token(link)
    link_of = booking.application_id if link else None
    if reminder.kind == FEEDBACK:
        message = queue_message(
            session, mail, event_id=f"reminder:{reminder.id}", to=booking.email, template="feedback_request",
            language=booking.language,
            context={"name": booking.name, "exchange": exchange,
                     "feedback_url": learning_link(token, mail.public_url) if link else None}, link_of=link_of)
    else:
        moment = exchange.session(reminder.kind)
        message = queue_message(
            session, mail, event_id=f"reminder:{reminder.id}", to=booking.email, template="reminder",
            language=booking.language,
            context={"name": booking.name, "exchange": exchange, "kind": reminder.kind,
                     "starts_at": moment.starts_at, "url": moment.url,
                     "manage_url": manage_link(token, mail.public_url) if link else None}, link_of=link_of)
    if message is not None:
        session.flush()  # the message's id
        reminder.message_id = message.id
    return DONE


def _too_late(reminder: Reminder, exchange: ExchangeView, now: datetime) -> bool:
    if reminder.kind == FEEDBACK:
        return now > reminder.due_at + FEEDBACK_GRACE
    return exchange.session(reminder.kind).starts_at <= now
