"""The one formatter of dates and times (shared.i18n): Europe/London, in the reader's language.
Welsh follows CLDR as Babel gives it (24-hour `09:30`); English is written the GOV.UK way (`9:30am`)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from babel.dates import format_time as babel_time
from flask import Flask, render_template_string
from flask_babel import Babel, force_locale

from shared.i18n import FILTERS, format_date, format_date_time, format_time

#: 09:30 in London: GMT in March, BST (08:30 UTC) in June
MARCH = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
JUNE = datetime(2025, 6, 10, 13, 5, 7, tzinfo=UTC)


def test_welsh_times_are_cldrs_24_hour_form():
    assert format_time(MARCH, "cy") == "09:30" == babel_time(MARCH.time(), "short", locale="cy")
    assert format_time(JUNE, "cy") == "14:05"
    assert format_time(JUNE, "cy", seconds=True) == "14:05:07"
    assert format_date_time(MARCH, "cy") == "10 Mawrth 2025, 09:30"
    assert format_date_time(JUNE, "cy", "day") == "Dydd Mawrth 10 Mehefin 2025, 14:05"


def test_english_times_are_written_the_gov_uk_way():
    assert format_time(MARCH, "en") == "9:30am"
    assert format_time(JUNE, "en") == "2:05pm"
    assert format_time(JUNE, "en", seconds=True) == "2:05:07pm"
    assert format_date_time(MARCH, "en", "short") == "10 Mar 2025, 9:30am"


@pytest.mark.parametrize(("style", "english", "welsh"), [
    ("day", "Monday 10 March 2025", "Dydd Llun 10 Mawrth 2025"),
    ("long", "10 March 2025", "10 Mawrth 2025"),
    ("short", "10 Mar 2025", "10 Maw 2025"),
])
def test_dates_in_each_style_and_language(style, english, welsh):
    for value in (MARCH, date(2025, 3, 10), MARCH.isoformat()):
        assert (format_date(value, "en", style), format_date(value, "cy", style)) == (english, welsh)


def test_a_moment_is_shown_in_london_whatever_its_zone_and_a_naive_one_is_utc():
    late = datetime(2025, 6, 30, 23, 30, tzinfo=UTC)  # already 1 July in London
    assert format_date(late, "en") == "1 July 2025"
    assert format_time(late.replace(tzinfo=None), "cy") == "00:30"
    assert format_date(None) == format_time(None) == format_date_time(None) == ""


def test_the_language_is_the_requests_when_not_given_and_templates_have_filters():
    app = Flask(__name__)
    Babel(app)
    app.jinja_env.filters.update(FILTERS)
    page = "{{ m | local_date('day') }} · {{ m | local_datetime('short') }} · {{ m | local_time(seconds=True) }}"
    assert format_time(MARCH) == "9:30am", "outside a request: English"
    with app.test_request_context(), force_locale("cy"):
        assert format_time(MARCH) == "09:30"
        assert render_template_string(page, m=MARCH) == "Dydd Llun 10 Mawrth 2025 · 10 Maw 2025, 09:30 · 09:30:00"
    with app.test_request_context():
        assert render_template_string(page, m=MARCH.isoformat()) == "Monday 10 March 2025 · 10 Mar 2025, 9:30am · 9:30:00am"
