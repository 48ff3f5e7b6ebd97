"""The `.ics` file sent with a confirmed place: the exchange and its online sessions.

Each is its own VEVENT, with a UID stable per booking and stage, so a calendar that imports a
later copy (after a promotion, or a change of time) updates the entries instead of adding more.
Times carry TZID Europe/London, with the zone's definition included. A cancelled booking's message
carries the same events with METHOD:CANCEL, STATUS:CANCELLED and a higher SEQUENCE: calendars
remove the entries the earlier copies added. Call it inside
`rendering.in_language(...)`: its words are translated like the message's.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from icalendar import Timezone

from shared.i18n import LONDON, current_language

from .brief import ExchangeView
from .rendering import gettext

#: SEQUENCE of the entries a booking adds (every copy the same: later copies differ only in time),
#: and of its cancellation, which must be higher to be applied
PUBLISHED, CANCELLED = 0, 1
#: how long an online session is shown in calendars: the event carries its start only
SESSION_LENGTH = timedelta(hours=1)
FILENAME = "knowledge-exchange.ics"
CONTENT_TYPE = "text/calendar"


def booking_calendar(booking_id: int, exchange: ExchangeView, domain: str, manage_url: str | None, *,
                     cancel: bool = False) -> bytes:
    """The booking's entries; with `cancel`, the same entries withdrawn."""
    return bookings_calendar([(booking_id, exchange)], domain, manage_url, cancel=cancel)


def bookings_calendar(bookings: list[tuple[int, ExchangeView]], domain: str, manage_url: str | None, *,
                      cancel: bool = False) -> bytes:
    """One file for several confirmed places (one application's): each booking's VEVENTs, with the
    same UIDs as its own file would carry, so later copies of either update the same entries."""
    stamp = datetime.now(UTC)
    if cancel:
        manage_url = None  # the booking is gone: nothing to see or cancel
    events = b"".join(_booking_events(booking_id, exchange, domain, manage_url, stamp, cancel)
                      for booking_id, exchange in bookings)
    years = [exchange.starts_at.year for _, exchange in bookings]
    method = "METHOD:CANCEL" if cancel else "METHOD:PUBLISH"
    head = _lines(("BEGIN:VCALENDAR", "PRODID:-//kx//Knowledge Exchange//EN", "VERSION:2.0", method))
    return head + _london(min(years), max(years)) + events + _lines(("END:VCALENDAR",))


def _booking_events(booking_id: int, exchange: ExchangeView, domain: str, manage_url: str | None,
                    stamp: datetime, cancel: bool = False) -> bytes:
    exchange = exchange.in_language(current_language())  # the calendar speaks the message's language
    events = [_event(
        uid=f"booking-{booking_id}-exchange@{domain}", stamp=stamp, summary=exchange.title,
        starts_at=exchange.starts_at, ends_at=exchange.ends_at, location=f"{exchange.site}, {exchange.town}",
        description=_description(gettext("Hosted by %(host)s.", host=exchange.host_name), manage_url),
        cancel=cancel)]
    sessions = (
        ("orientation", exchange.orientation, gettext("%(title)s: online orientation session", title=exchange.title)),
        ("reflection", exchange.reflection, gettext("%(title)s: online reflection session", title=exchange.title)),
    )
    for stage, session, summary in sessions:
        if session is None:
            continue
        join = gettext("Join online: %(url)s", url=session.url) if session.url else gettext("Online session.")
        events.append(_event(
            uid=f"booking-{booking_id}-{stage}@{domain}", stamp=stamp, summary=summary,
            starts_at=session.starts_at, ends_at=session.starts_at + SESSION_LENGTH,
            location=session.url or gettext("Online"), url=session.url,
            description=_description(join, manage_url), cancel=cancel))
    return b"".join(events)


@lru_cache(maxsize=8)
def _london(first: int, last: int) -> bytes:
    """Europe/London's VTIMEZONE over the years around the exchanges': a few transitions, built
    once per process (from the whole zone history it would cost more than the rest of the file)."""
    return Timezone.from_tzid("Europe/London", first_date=date(first - 1, 1, 1),
                              last_date=date(last + 1, 12, 31)).to_ical()


def _event(*, uid: str, stamp: datetime, summary: str, starts_at: datetime, ends_at: datetime, location: str,
           description: str, url: str | None = None, cancel: bool = False) -> bytes:
    # Written directly (RFC 5545: escaped text, folded lines): a tenth of what icalendar's
    # serialiser costs, and this file is written for every confirmed place.
    lines = [
        "BEGIN:VEVENT",
        f"SUMMARY:{_text(summary)}",
        f"DTSTART;TZID=Europe/London:{_local(starts_at)}",
        f"DTEND;TZID=Europe/London:{_local(ends_at)}",
        f"DTSTAMP:{stamp.astimezone(UTC):%Y%m%dT%H%M%SZ}",
        f"UID:{_text(uid)}",
        f"SEQUENCE:{CANCELLED if cancel else PUBLISHED}",
        f"DESCRIPTION:{_text(description)}",
        f"LOCATION:{_text(location)}",
    ]
    if cancel:
        lines.append("STATUS:CANCELLED")
    if url:
        lines.append(f"URL:{_one_line(url)}")
    lines.append("END:VEVENT")
    return _lines(lines)


def _local(moment: datetime) -> str:
    return f"{moment.astimezone(LONDON):%Y%m%dT%H%M%S}"


def _text(value: str) -> str:
    """An iCalendar TEXT value: backslash, semicolon, comma and newlines escaped."""
    escaped = value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def _one_line(value: str) -> str:
    return value.replace("\r", "").replace("\n", "")


def _lines(lines) -> bytes:
    return b"".join(_fold(line.encode("utf-8")) + b"\r\n" for line in lines)


def with_unfolded_text(content: bytes, change) -> bytes:
    """A calendar file with `change(text)` applied to each of its lines unfolded, then folded again:
    a link folded across two lines is one string to `change` (how a stored file's masked manage
    link becomes the working one, and the other way)."""
    lines = content.decode("utf-8").replace("\r\n ", "").split("\r\n")
    if lines and lines[-1] == "":
        lines.pop()
    return _lines(change(line) for line in lines)


def _fold(line: bytes) -> bytes:
    """Lines longer than 75 octets continue on the next line after a space, never inside a
    UTF-8 character."""
    if len(line) <= 75:
        return line
    parts, limit = [], 75
    while len(line) > limit:
        cut = limit
        while cut > 0 and (line[cut] & 0xC0) == 0x80:  # a continuation byte: step back
            cut -= 1
        parts.append(line[:cut])
        line, limit = line[cut:], 74  # the leading space counts
    parts.append(line)
    return b"\r\n ".join(parts)


def _description(text: str, manage_url: str | None) -> str:
    if not manage_url:
        return text
    return text + "\n" + gettext("See or cancel your booking: %(url)s", url=manage_url)
