"""Exchange drafts in a real Chromium (issue 15), at a phone's width and a desktop's, in English and
Welsh: the programme team fills in a new exchange and presses "Save as draft", lands on its preview
(the public page under a banner saying people cannot see it yet), which axe passes and which does
not scroll sideways; the public meanwhile finds no such exchange. The preview's Publish button puts
it in the catalogue, open for booking."""

from __future__ import annotations

import secrets

import pytest

from tests.support.processes import http

from .conftest import axe, sign_in

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
LANGUAGES = ("en", "cy")
#: the banner's words, in each language
BANNER = {"en": "Preview: this exchange is a draft — people cannot see it yet.",
          "cy": "Rhagolwg: drafft yw'r cyfnewid hwn — ni all pobl ei weld eto."}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def _fill_the_form(page, title: str) -> None:
    page.fill("#title", title)
    page.select_option("#theme", "T1")
    page.fill("#host_name", "Example Valleys Health Board")
    page.fill("#site", "Example Community Hub")
    page.fill("#town", "Aberystwyth")
    page.fill("#starts_at", "2027-06-10")
    page.fill("#starts_at-time", "10:00")
    page.fill("#ends_at", "2027-06-10")
    page.fill("#ends_at-time", "14:00")
    page.fill("#capacity", "6")
    page.fill("#booking_closes_at", "2027-05-31")
    page.fill("#booking_closes_at-time", "17:00")
    page.fill("#description", "An illustrative visit, saved as a draft first.")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_save_as_draft_then_preview_then_publish(page, server, width, language):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, "admin@example.org")
    title = f"Draft visit {secrets.token_hex(3)}"
    page.goto(f"{server.base}/registration/staff/exchanges/new?lang={language}")
    _fill_the_form(page, title)
    page.locator("main button[type=submit][value=draft]").click()
    page.wait_for_load_state()

    # the preview: the public page as it will be, under the banner, with Publish and Edit
    assert page.url.endswith("/preview"), page.url
    exchange_id = int(page.url.split("/")[-2])
    assert BANNER[language] in page.locator(".kx-preview").inner_text()
    assert page.locator("main h1").inner_text() == title
    assert page.locator("html").get_attribute("lang") == language
    _fits(page)
    axe(page)

    # the public knows nothing of it
    assert http("GET", f"{server.base}/registration/exchanges/{exchange_id}")[0] == 404
    status, body = http("GET", f"{server.base}/registration/api/exchanges")
    assert status == 200 and title.encode() not in body
    page.goto(f"{server.base}/registration/staff/?lang={language}")
    row = page.locator("main tr", has_text=title)
    assert row.locator(".kx-tag--draft").count() == 1
    assert row.locator(f"a[href='/registration/staff/exchanges/{exchange_id}/preview']").count() == 1
    _fits(page)

    # the preview's button publishes it; the staff home says so; it can be booked
    row.locator(f"a[href='/registration/staff/exchanges/{exchange_id}/preview']").click()
    page.wait_for_load_state()
    page.locator(".kx-preview button[type=submit]").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/registration/staff/?published={exchange_id}"), page.url
    assert title in page.locator("main .kx-notice").inner_text()
    _fits(page)
    axe(page)
    page.goto(f"{server.base}/registration/exchanges/{exchange_id}?lang={language}")
    assert page.locator("main h1").inner_text() == title
    assert page.locator(f"main a[href*='/apply/?exchange={exchange_id}']").count() == 1
