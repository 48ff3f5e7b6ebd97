"""Every page of notifications, learning, expenses and registration's staff pages, in English and
Welsh, has no WCAG 2.0/2.1/2.2 A or AA violation that axe-core finds, in a real Chromium.

Registration's applicant pages (catalogue, apply, manage) join this list when they are translated.
"""

from __future__ import annotations

import pytest

from .conftest import axe, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "cy")

PUBLIC = ["/registration/accessibility", "/registration/login", "/learning/library/", "/expenses/"]
ADMIN = ["/registration/staff/", "/registration/staff/exchanges/new", "/registration/staff/exchanges/1/edit",
         "/registration/staff/themes", "/registration/staff/exchanges/1/participants",
         "/registration/staff/exchanges/1/attendance", "/notifications/", "/notifications/exchanges/1/announcement",
         "/learning/", "/learning/themes/T1", "/learning/programme"]
#: the demo programme has summaries of exchanges 1 to 6 (4 approved, 5 submitted, 6 a draft)
HOST = ["/registration/staff/", "/learning/", "/learning/exchanges/1/summary", "/learning/exchanges/6/summary",
        "/learning/exchanges/6/summary/edit"]
FINANCE = ["/expenses/finance/", "/expenses/finance/runs", "/expenses/finance/dashboard"]


def _visit(page, server, path: str, language: str) -> None:
    joiner = "&" if "?" in path else "?"
    response = page.goto(f"{server.base}{path}{joiner}lang={language}")
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert page.locator("html").get_attribute("lang") == language


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_have_no_accessibility_violations(page, server, path, language):
    _visit(page, server, path, language)
    axe(page)


STAFF = ([("admin@example.org", path) for path in ADMIN] + [("host@example.org", path) for path in HOST]
         + [("finance@example.org", path) for path in FINANCE])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("email", "path"), STAFF)
def test_staff_pages_have_no_accessibility_violations(page, server, email, path, language):
    sign_in(page, server, email)
    _visit(page, server, path, language)
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_applicant_pages_have_no_accessibility_violations(page, server, language):
    status, exchanges = server.api("GET", "/registration/api/exchanges")
    open_one = next(e for e in exchanges if e["status"] == "open")
    status, applied = server.api("POST", "/registration/api/applications", {
        "applicant": {"name": "Alex Example", "email": f"alex.{language}@example.org", "organisation": "Example Trust",
                      "role": "Peer worker", "participant_type": "experience", "stakeholder_group": "lived experience",
                      "language": language, "access_needs": ""},
        "exchange_ids": [open_one["id"]], "line_manager_permission": "not_applicable",
        "will_attend_sessions": True, "privacy_notice_accepted": True})
    assert status == 201, applied
    token = applied["manage_token"]
    for path in (f"/learning/manage/{token}", f"/expenses/manage/{token}"):
        _visit(page, server, path, language)
        axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_error_pages_have_no_accessibility_violations(page, server, language):
    response = page.goto(f"{server.base}/learning/no-such-page?lang={language}")
    assert response.status == 404
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_language_link_switches_the_page_and_is_remembered(page, server, language):
    other = "cy" if language == "en" else "en"
    _visit(page, server, "/learning/library/", language)
    page.locator(f"nav.kx-language a[hreflang={other}]").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == other
    page.goto(f"{server.base}/expenses/")
    assert page.locator("html").get_attribute("lang") == other, "the kx_lang cookie carries the choice"
