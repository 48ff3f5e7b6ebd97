"""The demo's calendar, whatever day it is loaded: the past round all over, the coming one open."""

from __future__ import annotations

from datetime import date, timedelta

from shared.demo_timeline import FUTURE, PAST, timeline


def _every_day(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def test_on_any_day_the_past_exchanges_are_over_and_the_coming_ones_open_for_booking():
    for today in _every_day(date(2026, 1, 1), date(2027, 12, 31)):
        calendar = timeline(today)
        assert max(calendar.reflection_at(e).date() for e in PAST) < today, today
        assert (today - calendar.day(1)).days < 70, today  # held in the last weeks
        closes = calendar.booking_closes_at(FUTURE[0])
        assert closes.date() > today + timedelta(days=3), today
        assert all(calendar.booking_closes_at(e) == closes for e in FUTURE)
        assert (min(calendar.day(e) for e in FUTURE) - closes.date()).days >= 3, today


def test_visits_are_on_weekdays_outside_the_christmas_holidays_with_the_same_day_pairs():
    for today in _every_day(date(2026, 1, 1), date(2027, 12, 31)):
        calendar = timeline(today)
        for exchange_id in PAST + FUTURE:
            day = calendar.day(exchange_id)
            assert day.weekday() < 5 and not ((day.month, day.day) >= (12, 22) or (day.month, day.day) <= (1, 2))
            assert calendar.orientation_at(exchange_id, "T3").date() < day < calendar.reflection_at(exchange_id).date()
        assert all(calendar.day(a) == calendar.day(b) for a, b in ((3, 4), (9, 10), (12, 13)))
