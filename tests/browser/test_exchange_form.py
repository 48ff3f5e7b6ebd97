"""The programme team's exchange form in a real Chromium, at a phone's width and a desktop's, in
English and Welsh: a date input and a time input for each moment (no offset asked for), every
problem at once in the error summary, no sideways scrolling, and closing bookings asks first.
Axe finds no violation on the form with its errors or on the confirmation page."""

from __future__ import annotations

import pytest

from .conftest import axe, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
LANGUAGES = ("en", "cy")


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_exchange_form_shows_every_problem_at_once_and_closing_asks_first(page, server, width, language):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, "admin@example.org")
    page.goto(f"{server.base}/registration/staff/exchanges/new?lang={language}")
    assert page.locator("input[name=starts_at_date][type=date]").count() == 1
    assert page.locator("input[name=starts_at_time][type=time]").count() == 1
    assert "offset" not in page.content().lower() and "gwrthbwyso" not in page.content().lower()
    _fits(page)
    page.fill("input[name=capacity]", "0")
    page.fill("#starts_at", "2027-03-10")
    page.fill("#starts_at-time", "10:00")
    page.fill("#ends_at", "2027-03-10")
    page.fill("#ends_at-time", "14:00")
    page.fill("#booking_closes_at", "2027-03-11")
    page.fill("#booking_closes_at-time", "09:00")
    page.locator("main button[type=submit][value=publish]").click()  # (beside it: "Save as draft")
    page.wait_for_load_state()
    summary = page.locator(".kx-error-summary a")
    targets = [summary.nth(n).get_attribute("href") for n in range(summary.count())]
    for field in ("#title", "#host_name", "#site", "#town", "#capacity", "#booking_closes_at"):
        assert field in targets, (field, targets)
    summary.filter(has_text="").nth(targets.index("#booking_closes_at")).click()
    assert page.evaluate("document.activeElement.id") == "booking_closes_at"
    _fits(page)
    axe(page)

    page.goto(f"{server.base}/registration/staff/?lang={language}")
    page.locator("a[href$='/exchanges/1/close'], a[href$='/exchanges/1/reopen']").first.click()
    page.wait_for_load_state()
    assert page.locator("main form button[type=submit]").count() == 1
    _fits(page)
    axe(page)
