"""Booking events: the message each one means, the participant projection, the reminders.

| event | message | reminders |
|---|---|---|
| confirmed | `confirmation` with the `.ics` (and the joining information, if the host wrote it) | scheduled |
| promoted | `promoted` with the `.ics` (and the joining information) | scheduled |
| waitlisted | `waitlisted` with the position | none |
| cancelled | `cancelled` (`cancelled_by_team` when the programme team did it: `reason`, and `moved_to` for a move), with the `.ics` withdrawing the entries (METHOD:CANCEL) | cancelled |

An application's own confirmed and waitlisted events (`told_in_application`) send no message:
its `registration.application.submitted` sends one for all its bookings (operations/applications.py).

An event older than the newest one already handled for the same booking only updates nothing
and sends nothing: the person has moved on since (e.g. a confirmation handled after its
cancellation).
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.db import utcnow
from shared.manage_tokens import manage_link
from shared.projections import event_time, pending_or_stored
from shared.times import parse_iso

from ..config import MailSettings, for_session
from ..models import Announcement, Booking, Exchange
from ..models.booking import CANCELLED, CONFIRMED, WAITLISTED
from . import links, reminders
from .announcements import announce_to
from .brief import ExchangeView
from .calendar import CONTENT_TYPE, FILENAME, booking_calendar
from .language_links import with_language
from .messages import File, queue_message
from .projections import lock_exchanges, record_booking, record_exchange
from .rendering import MissingField, in_language

STATUS = {"confirmed": CONFIRMED, "promoted": CONFIRMED, "waitlisted": WAITLISTED, "cancelled": CANCELLED}
TEMPLATE = {"confirmed": "confirmation", "promoted": "promoted", "waitlisted": "waitlisted", "cancelled": "cancelled"}


def lock_booked_exchanges(session: Session, events: list[dict]) -> None:
    """The bookings handler's `prepare`: a confirmed booking looks for the exchange's joining
    information under the exchange's shared lock (see `lock_exchanges`), taken here for the
    whole batch at once, in id order."""
    lock_exchanges(session, (data["exchange_id"] for data in events), shared=True)


def on_booking(session: Session, envelope: dict, data: dict) -> None:
    # No autoflush: the rows of a batch of booking events go in together when it commits (one
    # statement per table), not each before the next lookup; and the exchange, changed by every
    # event, stays in the session instead of being read again.
    with session.no_autoflush:
        _on_booking(session, envelope, data)


def _on_booking(session: Session, envelope: dict, data: dict) -> None:
    kind = envelope["type"].rpartition(".")[2]
    mail = for_session(session)
    as_of = event_time(envelope)
    exchange = exchange_view(session, envelope, data, as_of)
    booking, newest = record_booking(session, data, STATUS[kind], as_of)
    known = links.remember(session, data["application_id"], as_of, data.get("manage_token_sealed"),
                           data.get("manage_token"))
    link = manage_link(links.masked_token(known), mail.public_url) if known else None
    link_of = data["application_id"] if known else None
    if not newest:
        return
    if kind == "waitlisted" and data.get("waitlist_position") is None:
        raise MissingField(envelope["type"], "waitlist_position")

    context = {"name": booking.name, "exchange": exchange, "manage_url": link,
               "position": data.get("waitlist_position"), "catalogue_url": mail.link("/registration/"),
               "reason": data.get("reason"), "moved_to": _moved_to(data.get("moved_to"))}
    template = "cancelled_by_team" if kind == "cancelled" and data.get("reason") else TEMPLATE[kind]
    if not data.get("told_in_application"):  # else the application's one email says it (operations/applications.py)
        attachments = ()
        if booking.status == CONFIRMED:
            attachments = (_calendar_file(booking, exchange, mail, link),)
        elif booking.status == CANCELLED:  # (a waiting-list place added no entries: a calendar ignores their removal)
            attachments = (_calendar_file(booking, exchange, mail, link, cancel=True),)
        queue_message(session, mail, event_id=envelope["id"], to=booking.email, template=template,
                      language=booking.language, context=context, attachments=attachments, link_of=link_of)

    if booking.status == CONFIRMED:
        reminders.schedule(session, booking, exchange, mail, now=utcnow())
        announcement = session.get(Announcement, booking.exchange_id)
        if announcement is not None:
            announce_to(session, mail, booking, exchange, announcement, event_id=envelope["id"], manage_url=link,
                        link_of=link_of)
    elif booking.status == CANCELLED:
        reminders.cancel(session, booking.id)


def _moved_to(brief: dict | None) -> dict | None:
    """The exchange a moved booking went to, as the message names it (its title and day)."""
    if brief is None:
        return None
    return {"title": brief["title"], "title_cy": brief.get("title_cy"), "starts_at": parse_iso(brief["starts_at"]) if isinstance(
        brief["starts_at"], str) else brief["starts_at"]}


def exchange_view(session: Session, envelope: dict, data: dict, as_of) -> ExchangeView:
    """The exchange as the message shows it: the event's brief, else what the projection knows."""
    brief = data.get("exchange")
    if brief is not None:
        row, moved = record_exchange(session, data["exchange_id"], brief, as_of)
        if moved:
            reminders.reschedule_exchange(session, ExchangeView.from_row(row), for_session(session))
        return ExchangeView.from_row(row)
    row = pending_or_stored(session, Exchange, {"id": data["exchange_id"]})
    if row is None:
        raise MissingField(envelope["type"], "exchange")
    return ExchangeView.from_row(row)


def _calendar_file(booking: Booking, exchange: ExchangeView, mail: MailSettings, link: str | None, *,
                   cancel: bool = False) -> File:
    with in_language(booking.language):
        content = booking_calendar(booking.id, exchange, mail.sender_domain,
                                   link and with_language(link, mail.public_url, booking.language, html=False),
                                   cancel=cancel)
    return File(FILENAME, CONTENT_TYPE, content)
