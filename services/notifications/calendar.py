"""The `.ics` file sent with a confirmed place: the exchange and its online sessions.

Each is its own VEVENT, with a UID stable per booking and stage, so a calendar that imports a
later copy (after a promotion, or a change of time) updates the entries instead of adding more.
Times carry TZID Europe/London, with the zone's definition included. Call it inside
`rendering.in_language(...)`: its words are translated like the message's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from flask_babel import gettext
from icalendar import Calendar, Event, Timezone

from .brief import ExchangeView
from .rendering import LONDON

#: how long an online session is shown in calendars: the event carries its start only
SESSION_LENGTH = timedelta(hours=1)
FILENAME = "knowledge-exchange.ics"
CONTENT_TYPE = "text/calendar"


def booking_calendar(booking_id: int, exchange: ExchangeView, domain: str, manage_url: str | None) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//kx//Knowledge Exchange//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(_event(
        uid=f"booking-{booking_id}-exchange@{domain}", summary=exchange.title,
        starts_at=exchange.starts_at, ends_at=exchange.ends_at, location=f"{exchange.site}, {exchange.town}",
        description=_description(gettext("Hosted by %(host)s.", host=exchange.host_name), manage_url)))
    sessions = (
        ("orientation", exchange.orientation, gettext("%(title)s: online orientation session", title=exchange.title)),
        ("reflection", exchange.reflection, gettext("%(title)s: online reflection session", title=exchange.title)),
    )
    for stage, session, summary in sessions:
        if session is None:
            continue
        join = gettext("Join online: %(url)s", url=session.url) if session.url else gettext("Online session.")
        calendar.add_component(_event(
            uid=f"booking-{booking_id}-{stage}@{domain}", summary=summary,
            starts_at=session.starts_at, ends_at=session.starts_at + SESSION_LENGTH,
            location=session.url or gettext("Online"), url=session.url,
            description=_description(join, manage_url)))
    calendar.subcomponents.insert(0, _london(exchange.starts_at.year))
    return calendar.to_ical()


@lru_cache(maxsize=8)
def _london(year: int) -> Timezone:
    """Europe/London's VTIMEZONE over the years around the exchange's: a few transitions, built
    once per process (from the whole zone history it would cost more than the rest of the file)."""
    return Timezone.from_tzid("Europe/London", first_date=date(year - 1, 1, 1), last_date=date(year + 1, 12, 31))


def _event(*, uid: str, summary: str, starts_at: datetime, ends_at: datetime, location: str,
           description: str, url: str | None = None) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", datetime.now(UTC))
    event.add("summary", summary)
    event.add("dtstart", starts_at.astimezone(LONDON))
    event.add("dtend", ends_at.astimezone(LONDON))
    event.add("location", location)
    event.add("description", description)
    if url:
        event.add("url", url)
    return event


def _description(text: str, manage_url: str | None) -> str:
    if not manage_url:
        return text
    return text + "\n" + gettext("See or cancel your booking: %(url)s", url=manage_url)
