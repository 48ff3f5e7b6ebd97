"""The programme team moves and cancels a booking for someone who phoned (issue 15), in Chromium at
phone and desktop widths, in English and Welsh: axe finds nothing on the check pages, with and
without errors, and they reflow without sideways scrolling."""

from __future__ import annotations

import pytest

from .conftest import apply, axe, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def booked(server):
    """A confirmed booking of a fresh applicant: (exchange, booking id)."""
    exchange, _token = apply(server, name="Gwenllian Phoned")
    token = server.host_token(exchange["id"])
    status, rows = server.api("GET", f"/registration/api/exchanges/{exchange['id']}/participants", token=token)
    return exchange, next(r["booking_id"] for r in rows if r["name"] == "Gwenllian Phoned")


def _no_sideways_scroll(page) -> None:
    widths = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert widths[0] <= widths[1], f"{page.url}: {widths[0]} px wide in a {widths[1]} px window"


@pytest.mark.parametrize("language", ("en", "cy"))
@pytest.mark.parametrize("width", (390, 1280))
@pytest.mark.parametrize("action", ("move", "cancel"))
def test_the_check_pages_are_accessible_and_show_errors_beside_their_fields(page, server, booked, action, width,
                                                                            language):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, "admin@example.org")
    response = page.goto(f"{server.base}/registration/staff/bookings/{booked[1]}/{action}?lang={language}")
    assert response.status == 200 and "Gwenllian Phoned" in page.locator("h1").inner_text()
    axe(page)
    _no_sideways_scroll(page)
    page.locator("main form button[type=submit]").click()  # no reason given: refused, nothing changed
    page.wait_for_load_state()
    assert page.locator(".kx-error-summary a[href='#reason']").count() == 1
    axe(page)
    _no_sideways_scroll(page)


def test_the_team_moves_a_booking_and_the_participants_page_says_so(page, server, booked):
    exchange, booking_id = booked
    sign_in(page, server, "admin@example.org")
    page.goto(f"{server.base}/registration/staff/bookings/{booking_id}/move")
    page.locator("#exchange_id").select_option(index=1)
    page.fill("#reason", "Phoned: prefers a later date")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    assert f"/staff/exchanges/{exchange['id']}/participants" in page.url
    assert "The booking was moved" in page.locator("main .kx-notice").inner_text()
    axe(page)
