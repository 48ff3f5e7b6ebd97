"""Learning's rough edges in a real Chromium, at a phone's width and a desktop's, in English and
Welsh: a host who submits an empty summary is told why in words (no field's internal name), on a
page with no accessibility violation. (Sideways scrolling of staff tables at 390 px is the
reflow part of issue 15, measured over every page there.)"""

from __future__ import annotations

import pytest

from .conftest import axe, sign_in

pytestmark = pytest.mark.browser

#: the demo's exchange 6 has a draft summary by host@example.org (services/learning/demo.py)
DRAFT = "/learning/exchanges/6/summary"


@pytest.mark.parametrize("language", ("en", "cy"))
@pytest.mark.parametrize("width", (390, 1280))
def test_submitting_an_empty_summary_is_refused_in_words(page, server, width, language):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, "host@example.org")
    page.goto(f"{server.base}{DRAFT}/edit?lang={language}")
    for name in ("key_insights", "innovations", "challenges", "transferable_ideas"):
        page.fill(f"#{name}", "")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    page.goto(f"{server.base}{DRAFT}?lang={language}")
    page.locator("form[action$='/summary/submit'] button").click()
    page.wait_for_load_state()
    summary = page.locator(".kx-error-summary").inner_text()
    assert summary and "key_insights" not in summary and "summary_empty" not in summary
    axe(page)


#: what the "being prepared" page says, by language
PREPARED = {"en": "Your pack is being prepared", "cy": "Mae eich pecyn yn cael ei baratoi"}


@pytest.mark.parametrize("language", ("en", "cy"))
def test_the_page_of_a_pack_being_prepared_has_no_accessibility_violations_on_a_phone_or_a_desktop(
        page, server, signed_in, language):
    """The programme's pack, asked for the first time in this language (no other test asks for it):
    the page that says how far the build has got, with its reloading turned off (`auto=0`) so that
    the page measured is the page shown, however fast the worker builds the pack. The pack's `lang`
    chooses its content, not the pages' language: the interface is switched first."""
    signed_in(page, "admin@example.org")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{server.base}/learning/?lang={language}")
    response = page.goto(f"{server.base}/learning/programme/pack.pdf?lang={language}&auto=0")
    assert response is not None and response.status == 202, response and response.status
    assert page.locator("html").get_attribute("lang") == language
    assert page.locator("h1").inner_text() == PREPARED[language]
    assert page.locator("meta[http-equiv=refresh]").count() == 0, "auto=0 turns the reloading off"
    assert page.locator("main a.kx-button").get_attribute("href").endswith(f"lang={language}")  # check again
    for width in (390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        axe(page)
