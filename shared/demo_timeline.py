"""The demo programme's calendar, built from today, so that every service's demo data agrees on it.

Each service's demo.py reads its dates from here rather than from another service's tables (which
reach it only later, as events). Exchanges 1 to 6 were held in the last weeks: their booking,
orientation, exchange day and reflection are all past, so they have participants who attended,
summaries and claims. Exchanges 7 to 19 are still to come and open for booking. Each of the two
rounds is laid out as the 2025 programme was: on weekdays from a Monday (`anchor`), one online
orientation per theme the week before, booking closing on the Wednesday of that week at 23:59,
and each exchange's reflection session a week after it at 12:30. Times are London's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

#: exchanges already held, and exchanges still to come (ids as registration's demo creates them)
PAST = tuple(range(1, 7))
FUTURE = tuple(range(7, 20))

#: days after its round's Monday on which each exchange is held; same-day pairs: 3/4, 9/10, 12/13
DAY = {1: 0, 2: 1, 3: 2, 4: 2, 5: 3, 6: 7,
       7: 0, 8: 1, 9: 2, 10: 2, 11: 3, 12: 7, 13: 7, 14: 8, 15: 9, 16: 10, 17: 14, 18: 15, 19: 16}

#: days before its round's Monday of each theme's orientation (Monday, Tuesday, Thursday)
ORIENTATION = {"T1": 7, "T2": 6, "T3": 4}
BOOKING_CLOSES = 5  # the Wednesday before the round, at 23:59
REFLECTION = 7  # a week after the exchange, at 12:30
SESSION_TIME = time(12, 30)


def today() -> date:
    """Today in London."""
    return datetime.now(LONDON).date()


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Timeline:
    """The calendar of the demo programme for a given day."""

    today: date

    @property
    def past_anchor(self) -> date:
        """The past round's Monday: five weeks before this week's, so its last reflection
        (fourteen days after it) is at least three weeks ago; earlier when its visits would fall in
        the Christmas and New Year holidays."""
        anchor = _monday(self.today) - timedelta(weeks=5)
        while _in_holidays(anchor, PAST):
            anchor -= timedelta(weeks=1)
        return anchor

    @property
    def future_anchor(self) -> date:
        """The coming round's Monday: the first at least two weeks ahead, so booking stays open
        for at least nine days, and whose visits all miss the Christmas and New Year holidays."""
        anchor = _monday(self.today + timedelta(days=14 + 6))
        while _in_holidays(anchor, FUTURE):
            anchor += timedelta(weeks=1)
        return anchor

    def anchor(self, exchange_id: int) -> date:
        return self.past_anchor if exchange_id in PAST else self.future_anchor

    def day(self, exchange_id: int) -> date:
        """The day the exchange is held."""
        return self.anchor(exchange_id) + timedelta(days=DAY[exchange_id])

    def starts_at(self, exchange_id: int, hour: int = 10) -> datetime:
        return at(self.day(exchange_id), time(hour))

    def booking_closes_at(self, exchange_id: int) -> datetime:
        return at(self.anchor(exchange_id) - timedelta(days=BOOKING_CLOSES), time(23, 59))

    def orientation_at(self, exchange_id: int, theme: str) -> datetime:
        return at(self.anchor(exchange_id) - timedelta(days=ORIENTATION[theme]), SESSION_TIME)

    def reflection_at(self, exchange_id: int) -> datetime:
        return at(self.day(exchange_id) + timedelta(days=REFLECTION), SESSION_TIME)


def _in_holidays(anchor: date, exchange_ids) -> bool:
    """Whether a visit of these exchanges, from this Monday, falls between 22 December and 2 January."""
    days = (anchor + timedelta(days=DAY[exchange_id]) for exchange_id in exchange_ids)
    return any((day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 2) for day in days)


def at(day: date, moment: time) -> datetime:
    return datetime.combine(day, moment, tzinfo=LONDON)


def timeline(day: date | None = None) -> Timeline:
    """The demo calendar around `day` (today in London by default)."""
    return Timeline(day or today())
