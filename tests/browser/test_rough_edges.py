"""The rough edges of issue 15 in a real Chromium, at a phone's width (390 px) and a desktop's
(1280 px), in English and Welsh: each page changed has no axe violation and no sideways scroll.

Applying: someone with no line manager says so; someone who cannot attend the sessions is told
why they cannot take part (a page, not an error); the privacy notice names the controller and a
contact. Language: downloading a file in the other language keeps the interface's language.
"""

from __future__ import annotations

import pytest

from .conftest import axe, fits, sign_in

pytestmark = pytest.mark.browser

SIZES = (390, 1280)
LANGUAGES = ("en", "cy")
#: what each page must say, by language
CANNOT = {"en": "You cannot take part in an exchange this time", "cy": "Ni allwch gymryd rhan mewn cyfnewid y tro hwn"}
NO_MANAGER = {"en": "I do not have a line manager", "cy": "Does gen i ddim rheolwr llinell"}
CONTROLLER = {"en": "The data controller is Example Health Board", "cy": "Y rheolydd data yw Example Health Board"}


def _open(page, server, path: str, language: str):
    response = page.goto(f"{server.base}{path}?lang={language}")
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sized", SIZES, indirect=True)
def test_the_apply_pages_changed_read_well_on_a_phone_and_a_desktop_in_both_languages(sized, server, language):
    page = sized
    _open(page, server, "/registration/apply/line-manager", language)
    assert NO_MANAGER[language] in page.locator("main").inner_text()
    axe(page)
    fits(page)

    _open(page, server, "/registration/apply/sessions", language)
    page.locator("input[name=will_attend_sessions][value=no]").check()
    page.locator("main button[type=submit]").click()
    page.wait_for_url("**/registration/apply/cannot-take-part")
    assert CANNOT[language] in page.locator("h1").inner_text()
    assert page.locator(".kx-error-summary").count() == 0, "a reason to stop, not an error to correct"
    axe(page)
    fits(page)

    _open(page, server, "/registration/apply/privacy", language)
    notice = page.locator("main").inner_text()
    assert CONTROLLER[language] in notice and "privacy@example.org" in notice
    axe(page)
    fits(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_downloading_a_pack_in_the_other_language_keeps_the_interfaces_language(page, server, language):
    other = "cy" if language == "en" else "en"
    sign_in(page, server, "admin@example.org")
    _open(page, server, "/learning/themes/T1", language)
    link = page.locator(f"main a[href$='pack.pdf?lang={other}']")
    answer = page.context.request.get(f"{server.base}{link.get_attribute('href')}")  # the browser's cookies
    assert answer.status in (200, 202)
    page.goto(f"{server.base}/learning/")
    assert page.locator("html").get_attribute("lang") == language, "the download did not switch the pages"
