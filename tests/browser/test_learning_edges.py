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


#: "There is a problem" and the theme lead's key-messages error, by language
SYNTHESIS_REFUSED = {"en": "Write at least one key message before publishing.",
                     "cy": "Ysgrifennwch o leiaf un neges allweddol cyn cyhoeddi."}


@pytest.mark.parametrize("language", ("en", "cy"))
def test_the_theme_synthesis_form_with_its_errors_and_its_versions_has_no_accessibility_violations(
        page, server, signed_in, language):
    """The demo's lead of T1 publishes nothing (so the theme's pack, which other tests read, keeps
    its inputs): a Publish with no key message is refused in words, beside the field's label; a
    draft saved then shows in the versions. English and Welsh side by side on a desktop, stacked
    and not scrolling sideways on a phone (down to 320 px)."""
    signed_in(page, "lead@example.org")
    page.goto(f"{server.base}/learning/themes/T1?lang={language}")
    page.fill("#key_messages", "")
    page.fill("#actions", "| Theme lead | March 2027")
    page.locator("button[name=action][value=publish]").click()
    page.wait_for_load_state()
    summary = page.locator(".kx-error-summary").inner_text()
    assert SYNTHESIS_REFUSED[language] in summary and "key_messages" not in summary
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        if width != 320:
            axe(page)
    page.fill("#key_messages", "Open access cuts waiting times")
    page.fill("#key_messages_cy", "Mae mynediad agored yn lleihau amseroedd aros")
    page.fill("#actions", "Agree one referral form | Theme lead | March 2027")
    page.fill("#actions_cy", "")
    page.locator("button[name=action][value=save]").click()
    page.wait_for_load_state()
    assert page.locator("#synthesis ~ table.kx-table tbody tr").count() >= 1
    side_by_side = page.locator("#key_messages").bounding_box()["y"] == page.locator("#key_messages_cy").bounding_box()["y"]
    assert side_by_side, "English and Welsh side by side on a desktop"
    for width in (320, 390, 1280):
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), width
        if width != 320:
            axe(page)
