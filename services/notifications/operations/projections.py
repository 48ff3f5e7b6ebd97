"""What notifications keeps of registration's data: exchanges' times and bookings (manage links:
operations/links.py).

Exchange and booking events arrive on different queues, and competing workers may take two
events of one booking out of order; each row remembers the time of the event that set it
(`event_time`) and an older event never overwrites a newer one (`shared.projections`).

Nothing here flushes: a batch's rows are written together when its transaction commits (or when a
query needs them first), one statement per table rather than one per event.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from shared.db import is_sqlite
from shared.projections import pending_or_stored, upsert_if_newer

from ..models import Booking, Exchange

#: the exchange's times: when one changes, its reminders move
TIMES = ("starts_at", "ends_at", "orientation_starts_at", "reflection_starts_at")


#: the first key of notifications' advisory locks on an exchange; the second is the exchange's id
EXCHANGE_LOCK = 0x6B78  # "kx"


def lock_exchanges(session: Session, exchange_ids, *, shared: bool = False) -> None:
    """Hold PostgreSQL advisory locks on these exchanges until the commit, taken in id order
    (SQLite has one writer at a time anyway, so there it does nothing).

    Whoever saves an exchange's joining information takes the lock alone; whoever records
    bookings on it takes it `shared`. Each takes it before looking at the other's rows: without
    it, each could commit unseen by the other, and a participant confirmed in that instant would
    never get the joining information. Shared holders never wait for one another, so two workers
    recording bookings on one exchange are not serialised by it; and since everyone takes their
    locks in id order, nobody waits in a circle."""
    if is_sqlite(session):
        return
    take = func.pg_advisory_xact_lock_shared if shared else func.pg_advisory_xact_lock
    for exchange_id in sorted(set(exchange_ids)):
        session.execute(select(take(EXCHANGE_LOCK, exchange_id)))


def record_exchange(session: Session, exchange_id: int, data: dict, as_of: datetime) -> tuple[Exchange, bool]:
    """Keep the exchange's title, place and times from an exchange event or a booking's brief.

    Returns the row and whether any time changed (reminders then move).
    """
    known = pending_or_stored(session, Exchange, {"id": exchange_id})
    before = {name: getattr(known, name) for name in TIMES} if known is not None else None
    orientation, reflection = data.get("orientation") or {}, data.get("reflection") or {}
    values = {
        "title": data["title"], "starts_at": data["starts_at"], "ends_at": data["ends_at"],
        "site": data["location"]["site"], "town": data["location"]["town"], "host_name": data["host"]["name"],
        "title_cy": data.get("title_cy"), "site_cy": data["location"].get("site_cy"),
        "orientation_starts_at": orientation.get("starts_at"), "orientation_url": orientation.get("url"),
        "reflection_starts_at": reflection.get("starts_at"), "reflection_url": reflection.get("url"),
    }
    if data.get("theme"):  # exchange events carry it, a booking's brief does not: keep what is known
        values["theme"] = data["theme"]
    row, applied = upsert_if_newer(session, Exchange, {"id": exchange_id}, as_of, values)
    if not applied and row.theme is None and data.get("theme"):
        row.theme = data["theme"]  # an older exchange event still says the theme a brief left out
    moved = applied and before is not None and any(_differs(before[name], values[name]) for name in TIMES)
    return row, moved


def record_booking(session: Session, data: dict, status: str, as_of: datetime) -> tuple[Booking, bool]:
    """Keep who the booking is for and its status; returns the row and whether this event is the
    newest known for it (a stale event sends no message: the person has moved on since)."""
    applicant = data["applicant"]
    values = {"exchange_id": data["exchange_id"], "application_id": data["application_id"],
              "name": applicant["name"], "email": applicant["email"], "language": applicant["language"],
              "status": status}
    return upsert_if_newer(session, Booking, {"id": data["booking_id"]}, as_of, values)


def _differs(old: datetime | None, new: datetime | None) -> bool:
    if old is None or new is None:
        return old is not new
    return old != new
