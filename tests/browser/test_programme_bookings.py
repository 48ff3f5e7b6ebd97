"""The programme team's "Applicants and bookings" page (issue 15), in Chromium at phone and desktop
widths, in English and Welsh: axe finds nothing, the page reflows without sideways scrolling, the
search narrows the list, and a bad filter is named in the error summary."""

from __future__ import annotations

import pytest

from .conftest import apply, axe, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
LANGUAGES = ("en", "cy")
HEADING = {"en": "Applicants and bookings", "cy": "Ymgeiswyr ac archebion"}


@pytest.fixture(scope="module")
def someone(server):
    """One applicant with a name no demo person has, to search for."""
    exchange, _token = apply(server, name="Morwenna Searchable")
    return exchange


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: {widths[0]} px wide in a {widths[1]} px window"


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_programme_team_searches_every_booking_and_the_page_reflows(page, server, someone, width, language):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, "admin@example.org")
    response = page.goto(f"{server.base}/registration/staff/bookings?lang={language}")
    assert response.status == 200
    assert page.locator("h1").inner_text() == HEADING[language]
    axe(page)
    _no_sideways_scroll(page)

    page.fill("#q", "morwenna searchable")
    page.locator("main form.kx-filters button[type=submit]").click()
    page.wait_for_load_state()
    rows = page.locator("main table tbody tr")
    assert rows.count() == 1 and "Morwenna Searchable" in rows.first.inner_text()
    assert someone["title"] in rows.first.inner_text()
    _no_sideways_scroll(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_bad_filter_is_named_in_the_error_summary(page, server, language):
    page.set_viewport_size({"width": 390, "height": 900})
    sign_in(page, server, "admin@example.org")
    response = page.goto(f"{server.base}/registration/staff/bookings?exchange=x&lang={language}")
    assert response.status == 400
    assert page.locator(".kx-error-summary a[href='#exchange']").count() == 1
    axe(page)
    _no_sideways_scroll(page)
