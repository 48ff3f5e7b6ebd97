"""The one way kx writes a moment on the wire (shared.times): ISO 8601, UTC, with its offset."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from shared.times import iso, parse_iso

LONDON = ZoneInfo("Europe/London")


def test_a_moment_is_written_in_utc_with_its_offset_whatever_its_zone():
    summer = datetime(2025, 6, 10, 14, 5, tzinfo=LONDON)  # BST: 13:05 UTC
    assert iso(summer) == "2025-06-10T13:05:00+00:00"
    assert iso(datetime(2025, 3, 10, 9, 30, tzinfo=UTC)) == "2025-03-10T09:30:00+00:00"
    assert iso(datetime(2025, 3, 10, 9, 30, 0, 250, tzinfo=timezone(timedelta(hours=-5)))) == (
        "2025-03-10T14:30:00.000250+00:00")


def test_london_before_standard_time_is_still_written():
    # London kept local mean time (-00:01:15) before 1847, an offset ISO 8601 cannot write.
    assert iso(datetime(1840, 1, 1, 12, tzinfo=LONDON)) == "1840-01-01T12:01:15+00:00"


def test_none_stays_none_and_a_naive_moment_is_refused():
    assert iso(None) is None
    with pytest.raises(ValueError):
        iso(datetime(2025, 3, 10, 9, 30))


@pytest.mark.parametrize("text", ["2025-06-10T14:05:00+01:00", "2025-06-10T13:05:00Z",
                                  "2025-06-10T08:05:00-05:00", "2025-06-10T13:05:00.000000+00:00"])
def test_any_offset_is_read_as_the_same_instant(text):
    moment = parse_iso(text)
    assert moment == datetime(2025, 6, 10, 13, 5, tzinfo=UTC)
    assert parse_iso(iso(moment)) == moment


def test_a_time_without_an_offset_is_refused():
    with pytest.raises(ValueError):
        parse_iso("2025-06-10T13:05:00")
