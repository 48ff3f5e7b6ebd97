"""Host announcements: joining information written once per exchange, sent to every confirmed
participant, to everyone confirmed or promoted later, and again (as "updated") after an edit.

Saving records the messages in the request's transaction; the send job delivers them.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.db import utcnow
from shared.errors import ApiError
from shared.manage_tokens import manage_link

from ..config import MailSettings
from ..models import Announcement, Booking, Exchange
from ..models.announcement import TEXTS
from ..models.booking import CONFIRMED
from . import links
from .brief import ExchangeView
from .messages import queue_message
from .projections import lock_exchanges

#: what a host writes: each part, and its Welsh (optional)
FIELDS = (*TEXTS, *(f"{name}_cy" for name in TEXTS))


def known_exchange(session: Session, exchange_id: int) -> ExchangeView:
    row = session.get(Exchange, exchange_id)
    if row is None:
        raise ApiError(404, _("Not found."))
    return ExchangeView.from_row(row)


def announcement(session: Session, exchange_id: int) -> Announcement | None:
    return session.get(Announcement, exchange_id)


def write_announcement(session: Session, mail: MailSettings, exchange_id: int, values: dict,
                       staff_id: int, staff=None) -> tuple[Announcement, int]:
    """What a host's page or API call does: `save_announcement` for an exchange known here (404 else),
    written in the audit log when `staff` is given."""
    exchange = known_exchange(session, exchange_id)
    before = _written(session.get(Announcement, exchange_id))
    saved, sent = save_announcement(session, mail, exchange, values, staff_id)
    if staff is not None:
        audit.record(session, staff, "announcement.written", ("exchange", exchange_id), before, _written(saved))
    return saved, sent


def _written(announcement: Announcement | None) -> dict | None:
    if announcement is None:
        return None
    return {"version": announcement.version, **{name: getattr(announcement, name) for name in FIELDS}}


def save_announcement(session: Session, mail: MailSettings, exchange: ExchangeView, values: dict,
                      staff_id: int) -> tuple[Announcement, int]:
    """Write (or rewrite) the exchange's joining information and send it to every confirmed
    participant; returns it and how many messages were queued. Saving unchanged text sends nothing.
    Under the exchange's lock, so a booking confirmed meanwhile is either among the bookings seen
    here or sees this joining information itself (`projections.lock_exchanges`)."""
    lock_exchanges(session, [exchange.id])
    announcement = session.get(Announcement, exchange.id, populate_existing=True)
    values = {name: values.get(name) for name in FIELDS}
    if announcement is not None and all(getattr(announcement, f) == values[f] for f in FIELDS):
        return announcement, 0
    if announcement is None:
        announcement = Announcement(exchange_id=exchange.id, version=1, updated_by=staff_id, **values)
        session.add(announcement)
    else:
        for name in FIELDS:
            setattr(announcement, name, values[name])
        announcement.version += 1
        announcement.updated_by = staff_id
        announcement.updated_at = utcnow()
    session.flush()
    sent = 0
    event_id = f"announcement:{exchange.id}:{announcement.version}"
    for booking in session.scalars(select(Booking).where(Booking.exchange_id == exchange.id,
                                                         Booking.status == CONFIRMED).order_by(Booking.id)):
        link = links.known(session, booking.application_id)
        message = announce_to(session, mail, booking, exchange, announcement, event_id=event_id,
                              manage_url=manage_link(links.masked_token(link), mail.public_url) if link else None,
                              updated=announcement.version > 1, link_of=link.application_id if link else None)
        sent += message is not None
    return announcement, sent


def announce_to(session: Session, mail: MailSettings, booking: Booking, exchange: ExchangeView,
                announcement: Announcement, *, event_id: str, manage_url: str | None, updated: bool = False,
                link_of: int | None = None):
    """Queue the joining information for one participant; `updated` for those who had the
    previous version (someone confirmed later gets it as first written, whatever its version).
    `manage_url` is masked, `link_of` the application whose link the sender puts in."""
    return queue_message(
        session, mail, event_id=event_id, to=booking.email,
        template="announcement_updated" if updated else "announcement", file="announcement",
        language=booking.language,
        context={"name": booking.name, "exchange": exchange, "announcement": announcement,
                 "updated": updated, "manage_url": manage_url}, link_of=link_of)
