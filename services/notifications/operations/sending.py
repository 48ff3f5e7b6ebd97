"""The "send" job: deliver pending messages, each once, however many workers run it.

1. Claim: in one short transaction, take up to BATCH due pending messages
   (`FOR UPDATE SKIP LOCKED` on PostgreSQL; SQLite's single writer serialises it) and set
   `claimed_until` (a lease of `KX_MAIL_LEASE` seconds) with one UPDATE. Another worker skips
   claimed rows.
2. Send each one, outside any transaction, over one SMTP connection for the batch. A message is
   only started while the lease has more than twice the SMTP timeout (`KX_SMTP_TIMEOUT`) left, so
   a lease never runs out under a send in progress; what is left of the batch is released for
   anyone to take. So is what is left when the job fails part-way (the database went away while
   marking): the next run, here or in another worker, takes it up without waiting out the lease.
3. Mark them, MARK_EVERY at a time in one short transaction, each only if the lease is still
   ours: sent (with `sent_at`, the moment the server accepted it) and
   `notifications.message.sent` in the same transaction; or failed with the reason (5xx, bad
   address, or too many temporary failures) and `notifications.message.failed`; or, after a 4xx
   or a lost connection, pending again with `next_attempt_at` pushed back exponentially.

The job (`jobs.SEND`) runs every 0.2 s, again at once while it finds work, and at once when a
transaction that recorded a message commits in the same process (`wake_after_commit`), so a
message recorded by the consumer goes out without waiting for a poll.

If a worker dies mid-batch its lease runs out and another worker takes the messages up again. That
leaves one window of at-least-once: a crash after the SMTP server accepted a message and before it
was marked sends that message a second time, and with marking MARK_EVERY at a time that is at most
MARK_EVERY messages per crash. Every copy carries the same `Message-ID` (fixed when the message
was created), so receiving servers and clients that de-duplicate on it show one, and the delivery
log still shows one message.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from email.errors import MessageError

from sqlalchemy import case, or_, select, update
from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.events import MESSAGE_FAILED, MESSAGE_SENT, InvalidEvent
from shared.outbox import emit
from shared.service import Runtime

from ..config import MailSettings, mail_settings
from ..delivery import PermanentFailure, TemporaryFailure, open_sender
from ..delivery.mime import build, check_address, needs_smtputf8
from ..models import Message
from ..models.message import FAILED, PENDING, SENT
from . import links

log = logging.getLogger(__name__)

BATCH = 50
#: sent messages are marked this many at a time (one transaction for them all): a crash between
#: the SMTP server's accept and the marking re-sends at most this many
MARK_EVERY = 10
#: the longest wait between two attempts of one message
MAX_BACKOFF = timedelta(hours=6)


def send_due(runtime: Runtime, clock: Callable[[], datetime] = utcnow) -> int:
    """Deliver one batch of due messages; returns how many were claimed."""
    mail = mail_settings(runtime.settings)
    lease_until = clock() + timedelta(seconds=mail.lease)
    messages, tokens = _claim(runtime, clock(), lease_until)
    if not messages:
        return 0
    outcomes: list[tuple[Message, Exception | None, datetime]] = []
    marked = 0
    try:
        with open_sender(runtime.settings, mail.smtp_timeout) as sender:
            for index, message in enumerate(messages):
                if clock() + timedelta(seconds=mail.smtp_timeout * 2) > lease_until:
                    break
                outcome = _attempt(sender, message, mail, clock(), tokens)
                outcomes.append((message, outcome, clock()))
                if len(outcomes) >= MARK_EVERY:
                    _record(runtime, outcomes, lease_until, mail)
                    marked, outcomes = index + 1, []
        _record(runtime, outcomes, lease_until, mail)
        marked += len(outcomes)
    finally:
        # Unsent (and sent but unmarked) messages go back at once rather than when the lease runs
        # out; one the server already accepted is sent again with its Message-ID, as after a crash.
        _release_quietly(runtime, messages[marked:], lease_until)
    return len(messages)


def _claim(runtime: Runtime, now: datetime, lease_until: datetime) -> tuple[list[Message], dict[int, str | None]]:
    """The claimed messages, and the tokens of the manage links they carry (opened now, kept in
    memory for this batch only: operations/links.py)."""
    with runtime.session() as session, session.begin():
        messages = session.scalars(
            select(Message)
            .where(Message.status == PENDING, Message.next_attempt_at <= now,
                   or_(Message.claimed_until.is_(None), Message.claimed_until < now))
            .order_by(Message.next_attempt_at, Message.id)
            .limit(BATCH)
            .with_for_update(skip_locked=True)).all()  # attachments come with them (selectin)
        if messages:
            session.execute(update(Message).where(Message.id.in_([m.id for m in messages]))
                            .values(claimed_until=lease_until))
        return messages, links.opened(session, messages)


def _attempt(sender, message: Message, mail: MailSettings, now: datetime,
             tokens: dict[int, str | None]) -> Exception | None:
    """None when the server accepted it, else the failure."""
    try:
        check_address(message.recipient)
        email = build(_with_link(message, tokens), mail, now)
    except PermanentFailure as failure:
        return failure
    except (ValueError, MessageError) as error:
        return PermanentFailure(f"could not be written as an email: {type(error).__name__}")
    try:
        sender.send(email, sender=_address(mail.sender), recipient=message.recipient,
                    message_id=message.message_id_header, smtputf8=needs_smtputf8(message, mail))
    except (TemporaryFailure, PermanentFailure) as failure:
        return failure
    return None


def _with_link(message: Message, tokens: dict[int, str | None]) -> Message | links.Outgoing:
    """The message with its working manage link put in; one whose link cannot be opened (the
    application was erased, or the link key changed) is not sent with a dead link."""
    if message.link_of is None:
        return message
    token = tokens.get(message.link_of)
    if token is None:
        raise PermanentFailure("its manage link can no longer be opened")
    return links.outgoing(message, token)


def _record(runtime: Runtime, outcomes: list[tuple[Message, Exception | None, datetime]], lease_until: datetime,
            mail: MailSettings) -> None:
    """Mark what happened to each message, all in one transaction; each only if still ours."""
    if not outcomes:
        return
    marked = []
    with runtime.session() as session, session.begin():
        sent_and_ours = _mark_sent(session, [(m, at) for m, outcome, at in outcomes if outcome is None], lease_until)
        for message, outcome, now in outcomes:
            attempts = message.attempts + 1
            if outcome is None:
                still_ours, event = message.id in sent_and_ours, MESSAGE_SENT
            else:
                values, event = _failure(outcome, attempts, mail, now)
                still_ours = session.execute(
                    update(Message).where(Message.id == message.id, Message.claimed_until == lease_until)
                    .values(attempts=attempts, claimed_until=None, **values)).rowcount
            if not still_ours:
                log.warning("message %d: lease lost before marking; another worker has it", message.id)
                continue
            marked.append((message, outcome, attempts, event))
        # The events last: their outbox rows then go in one INSERT at the commit.
        for message, _outcome, _attempts, event in marked:
            if event is not None:
                _emit(session, event, message)
    for message, outcome, attempts, _event in marked:
        _log(message, outcome, attempts)


def _mark_sent(session: Session, sent: list[tuple[Message, datetime]], lease_until: datetime) -> set[int]:
    """Mark the sent messages in one statement (each with its own `sent_at`), those whose lease is
    still ours; returns their ids."""
    if not sent:
        return set()
    table = Message.__table__
    accepted_at = case({message.id: at for message, at in sent}, value=table.c.id)
    marking = (update(table)
               .where(table.c.id.in_([message.id for message, _at in sent]), table.c.claimed_until == lease_until)
               .values(status=SENT, sent_at=accepted_at, error=None, attempts=table.c.attempts + 1,
                       claimed_until=None)
               .returning(table.c.id))
    return set(session.execute(marking).scalars())


def _failure(outcome: Exception, attempts: int, mail: MailSettings, now: datetime) -> tuple[dict, str | None]:
    """The row's new values after a failed attempt, and the event to emit (if any)."""
    if isinstance(outcome, TemporaryFailure) and attempts < mail.max_attempts:
        delay = min(timedelta(seconds=mail.retry_delay * 2 ** (attempts - 1)), MAX_BACKOFF)
        return {"status": PENDING, "next_attempt_at": now + delay, "error": outcome.reason}, None
    reason = outcome.reason if isinstance(outcome, PermanentFailure) else \
        f"gave up after {attempts} attempts: {outcome.reason}"
    return {"status": FAILED, "error": reason[:500]}, MESSAGE_FAILED


def _release_quietly(runtime: Runtime, messages: list[Message], lease_until: datetime) -> None:
    """Give back claimed messages; if the database is away, their lease gives them back later."""
    if not messages:
        return
    try:
        with runtime.session() as session, session.begin():
            session.execute(update(Message)
                            .where(Message.id.in_([m.id for m in messages]), Message.claimed_until == lease_until)
                            .values(claimed_until=None))
    except Exception:  # noqa: BLE001 - the job's own error (if any) is the one worth raising
        log.warning("could not release %d claimed messages; their lease will", len(messages))


def _emit(session: Session, event: str, message: Message) -> None:
    data = {"message_id": message.id, "event_id": message.event_id, "to": message.recipient,
            "template": message.template}
    try:
        emit(session, event, data)
    except InvalidEvent:
        # The event's `to` must be an address; a message failed for its malformed address has none.
        log.info("message %d: no %s event, its recipient is not a valid address", message.id, event)


def _log(message: Message, outcome: Exception | None, attempts: int) -> None:
    # Ids and SMTP codes only: never the address, the name or the text.
    if outcome is None:
        log.info("message %d (event %s) sent", message.id, message.event_id)
    else:
        code = getattr(outcome, "code", None) or type(outcome).__name__
        log.warning("message %d (event %s) attempt %d failed: %s", message.id, message.event_id, attempts, code)


def _address(sender: str) -> str:
    from email.utils import parseaddr

    return parseaddr(sender)[1]
