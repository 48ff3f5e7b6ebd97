"""Every page of notifications, learning, expenses and registration's staff pages, in English and
Welsh, has no WCAG 2.0/2.1/2.2 A or AA violation that axe-core finds, in a real Chromium: the
pages anyone may open, each staff role's pages (finance's claims and payment runs from the demo
programme, a message of the delivery log, the theme lead's review of a summary), and an expert by
experience's claim for expenses walked through page by page, each form also shown with its errors.

A form sent with mistakes, in every service, opens on its error summary: focused (so a screen reader
says it first), titled "There is a problem", the page's title starting "Error: " ("Gwall: ").

Registration's applicant pages (catalogue, apply, manage), with and without errors, are in
test_applicant_journeys.py.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pyotp
import pytest

from services.registration.operations import create_staff, mfa
from services.registration.operations.accounts import invite
from shared.registry import load_service
from shared.service import Runtime
from shared.testing import wait_until

from .conftest import DEMO_PASSWORD, apply, attended, axe, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "cy")
#: what a page with errors says, in each language (shared's catalogue)
ERROR = {"en": ("Error: ", "There is a problem"), "cy": ("Gwall: ", "Mae problem")}

#: the demo programme's approved summaries (exchanges 1 to 4) are in the library
PUBLIC = ["/registration/accessibility", "/registration/login", "/learning/library/", "/learning/library/1",
          "/expenses/", "/registration/account/password-reset"]
ADMIN = ["/registration/staff/", "/registration/staff/exchanges/new", "/registration/staff/exchanges/1/edit",
         "/registration/staff/themes", "/registration/staff/privacy", "/notifications/",
         "/learning/", "/learning/themes/T1", "/learning/programme", "/registration/staff/audit",
         "/registration/staff/audit?since=soon", "/notifications/audit", "/learning/audit", "/expenses/audit",
         "/registration/staff/accounts", "/registration/staff/accounts/new", "/registration/staff/accounts/1/deactivate",
         "/registration/staff/accounts/1", "/registration/staff/themes/T1",
         "/registration/account", "/registration/account/two-factor"]
#: the demo programme has summaries of exchanges 1 to 6 (4 approved, 5 submitted, 6 a draft)
HOST = ["/registration/staff/", "/registration/staff/exchanges/1/participants",
        "/registration/staff/exchanges/1/attendance", "/notifications/exchanges/1/announcement",
        "/learning/", "/learning/exchanges/1/summary", "/learning/exchanges/6/summary",
        "/learning/exchanges/6/summary/edit"]
#: the demo's claims (services/expenses/demo.py): 1 submitted with flags and a receipt, 2 queried, 4 paid
#: in payment run 1, which is confirmed
FINANCE = ["/expenses/finance/", "/expenses/finance/runs", "/expenses/finance/dashboard", "/expenses/finance/claims/1",
           "/expenses/finance/claims/2", "/expenses/finance/claims/4", "/expenses/finance/runs/1"]
#: the demo's theme lead, of themes T1 to T3; exchange 5's summary waits for their approval (or has it)
LEAD = ["/learning/", "/learning/themes/T1", "/learning/exchanges/5/summary", "/learning/feedback"]


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


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_of_a_set_password_link_that_opens_nothing_has_no_accessibility_violations(page, server, language):
    response = page.goto(f"{server.base}/registration/account/password/not-a-link-we-made?lang={language}")
    assert response is not None and response.status == 404
    assert page.locator("html").get_attribute("lang") == language
    axe(page)


STAFF = ([("admin@example.org", path) for path in ADMIN] + [("host@example.org", path) for path in HOST]
         + [("finance@example.org", path) for path in FINANCE] + [("lead@example.org", path) for path in LEAD])


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize(("email", "path"), STAFF)
def test_staff_pages_have_no_accessibility_violations(page, server, email, path, language):
    sign_in(page, server, email)
    _visit(page, server, path, language)
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_audit_log_with_entries_has_no_accessibility_violations_and_reflows_on_a_phone(page, server, language):
    sign_in(page, server, "admin@example.org")
    _visit(page, server, "/registration/staff/", language)
    # closing and reopening each ask first, on a page of their own
    page.locator("a[href$='/close']").first.click()
    page.locator("main form button[type=submit]").click()
    page.locator("a[href$='/reopen']").first.click()
    page.locator("main form button[type=submit]").click()
    _visit(page, server, "/registration/staff/audit", language)
    assert page.locator("table.kx-table--reflow tbody tr").count() >= 2
    axe(page)
    page.set_viewport_size({"width": 360, "height": 740})
    cell = page.locator("table.kx-table--reflow tbody tr td").first
    assert cell.evaluate("td => getComputedStyle(td).display") == "block"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_choosing_ones_email_language_has_no_accessibility_violations_and_reflows_on_a_phone(page, server, language):
    """The lead chooses Welsh for their emails, is told so on the account page, and goes back to English."""
    sign_in(page, server, "lead@example.org")
    _visit(page, server, "/registration/account", language)
    page.check("input[name=language][value=cy]")
    page.locator("form[action$='/account/language'] button[type=submit]").click()
    assert page.locator("input[name=language][value=cy]").is_checked()
    assert page.locator(".kx-panel[role=status]").is_visible()
    axe(page)
    page.set_viewport_size({"width": 320, "height": 640})
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.check("input[name=language][value=en]")
    page.locator("form[action$='/account/language'] button[type=submit]").click()
    assert page.locator("input[name=language][value=en]").is_checked()


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_wrong_first_code_of_two_step_verification_has_no_accessibility_violations(page, server, language):
    """A wrong code leaves the factor off, so the demo's admin still signs in with a password alone."""
    sign_in(page, server, "admin@example.org")
    _visit(page, server, "/registration/account/two-factor", language)
    page.fill("#code", "000000")
    _submit(page)
    assert page.title().startswith(ERROR[language][0])
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_turning_on_two_step_verification_and_signing_in_with_a_code_has_no_accessibility_violations(
        page, server, language):
    """An account of its own (the demo's keep signing in with a password alone): the set-up page,
    the recovery codes, then the code step of sign-in, with a wrong code and with a recovery code."""
    email = f"two.step.{language}@example.org"
    with Runtime(load_service("registration"), server.settings).session() as session, session.begin():
        create_staff(session, email, "Two Step", DEMO_PASSWORD, {"theme_lead": ["T1"]})
    sign_in(page, server, email)
    _visit(page, server, "/registration/account/two-factor", language)
    axe(page)
    secret = page.locator("#setup-key").inner_text().replace(" ", "")
    page.fill("#code", pyotp.TOTP(secret).now())
    _submit(page)
    codes = page.locator("#recovery-codes code").all_inner_texts()
    assert len(codes) == 10
    axe(page)

    page.context.clear_cookies()
    page.goto(f"{server.base}/registration/login?lang={language}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    _submit(page)
    assert "/registration/login/code" in page.url
    axe(page)
    page.fill("#code", "000000")
    _submit(page)
    assert page.title().startswith(ERROR[language][0])
    axe(page)
    page.fill("#code", codes[0])
    _submit(page)
    assert "/login" not in page.url


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
        def known(path=path) -> bool:  # each service hears of the application over the bus (404 till then)
            response = page.goto(f"{server.base}{path}?lang={language}")
            return response is not None and response.status == 200

        wait_until(known, timeout=30, interval=0.2, message=f"{path.split('/')[1]} to hear of the application")
        assert page.locator("html").get_attribute("lang") == language
        axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_message_of_the_delivery_log_has_no_accessibility_violations(page, server, language):
    apply(server, language=language)  # their confirmation is a message in the log
    sign_in(page, server, "admin@example.org")

    def a_message() -> bool:
        _visit(page, server, "/notifications/", language)
        return page.locator("main a[href*='/notifications/messages/']").count() > 0

    wait_until(a_message, timeout=30, interval=0.5, message="notifications to log a message")
    path = page.locator("main a[href*='/notifications/messages/']").first.get_attribute("href")
    _visit(page, server, path, language)
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_new_recovery_codes_and_turning_two_step_verification_off_have_no_accessibility_violations(
        page, server, language):
    """An account of its own with the second factor on: the form for new recovery codes (as shown,
    with a wrong code, then the new codes), and the form that turns it off (as shown, with a wrong code)."""
    email = f"two.step.off.{language}@example.org"
    with Runtime(load_service("registration"), server.settings).session() as session, session.begin():
        account = create_staff(session, email, "Two Step Off", DEMO_PASSWORD, {"theme_lead": ["T1"]})
        secret = mfa.begin_setup(session, account, server.settings.secret_key)
        earlier = datetime.now(UTC) - timedelta(seconds=90)
        mfa.confirm_setup(session, account, server.settings.secret_key, pyotp.TOTP(secret).at(earlier), earlier)
    page.goto(f"{server.base}/registration/login?lang={language}")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    _submit(page)
    page.fill("#code", pyotp.TOTP(secret).now())
    _submit(page)
    for path in ("/registration/account/recovery-codes", "/registration/account/two-factor/off"):
        _visit(page, server, path, language)
        axe(page)
        page.fill("#code", "000000")
        _submit(page)
        _opens_on_its_error_summary(page, language)
        axe(page)
    _visit(page, server, "/registration/account/recovery-codes", language)
    page.fill("#code", pyotp.TOTP(secret).at(datetime.now(UTC) + timedelta(seconds=30)))
    _submit(page)
    assert page.locator("#recovery-codes code").count() == 10
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_page_of_an_invited_account_has_no_accessibility_violations(page, server, language):
    """As shown (with its invitation to send again), sent without a name (errors beside the fields),
    and after the invitation is sent again."""
    with Runtime(load_service("registration"), server.settings).session() as session, session.begin():
        account, _token = invite(session, {"email": f"invited.{language}@example.org", "name": "Invited Person",
                                           "roles": ["finance"], "language": language})
        path = f"/registration/staff/accounts/{account.id}"
    sign_in(page, server, "admin@example.org")
    _visit(page, server, path, language)
    axe(page)
    page.fill("#name", "")
    _submit(page, "main form button[type=submit] >> nth=0")
    _opens_on_its_error_summary(page, language)
    axe(page)
    page.locator("form[action$='/invitation'] button").click()
    page.wait_for_load_state()
    assert page.locator(".kx-panel[role=status]").count() == 1
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_themes_page_sent_without_a_title_has_no_accessibility_violations(page, server, language):
    sign_in(page, server, "admin@example.org")
    _visit(page, server, "/registration/staff/themes/T2", language)
    assert page.locator("input[name=leads]").count() >= 1  # the demo's theme lead is offered
    page.fill("#title", "")
    _submit(page)
    _opens_on_its_error_summary(page, language)
    axe(page)


def _submit(page, button: str = "main form button[type=submit]") -> None:
    page.locator(button).last.click()
    page.wait_for_load_state()


def _opens_on_its_error_summary(page, language: str) -> None:
    """The page shows one error summary, which has focus, and its title says there is an error."""
    error, problem = ERROR[language]
    summary = page.locator(".kx-error-summary")
    assert summary.count() == 1, f"{page.url} shows no error summary"
    assert summary.locator("h2").inner_text() == problem
    assert page.evaluate("document.activeElement && document.activeElement.classList.contains('kx-error-summary')"), \
        f"{page.url}: the error summary does not have focus"
    assert page.title().startswith(error), page.title()
    hrefs = summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert hrefs and all(page.locator(href).count() == 1 for href in hrefs), f"{page.url}: {hrefs}"


def _with_and_without_errors(page, server, path: str, language: str) -> None:
    """The form page as first shown, then sent empty: each has no violation, and the second opens on
    its error summary."""
    _visit(page, server, path, language)
    axe(page)
    _submit(page)
    _opens_on_its_error_summary(page, language)
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_expense_claim_has_no_accessibility_violations_page_by_page(page, server, language):
    exchange, start = attended(page, server, language)
    axe(page)  # the manage page with an exchange to claim for
    _submit(page, start)
    claim = page.url.split("?")[0].removeprefix(server.base)
    _visit(page, server, claim, language)  # the claim's task list, nothing added yet
    axe(page)

    _with_and_without_errors(page, server, f"{claim}/journey", language)
    day = exchange["starts_at"][:10].split("-")
    page.fill("#date", day[2].lstrip("0"))
    page.fill("#date-month", day[1].lstrip("0"))
    page.fill("#date-year", day[0])
    page.fill("#from", "Aberaeron")
    page.fill("#to", "Aberystwyth")
    page.fill("#miles", "32")
    _submit(page, "main form button[value=quote]")  # the allowance worked out on the page
    assert page.locator("#allowance").inner_text().startswith("£"), page.locator("main").inner_text()
    axe(page)
    _submit(page, "main form button[value=save]")
    assert "saved=journey" in page.url
    axe(page)  # the task list with a journey, and the notice that it was saved

    _with_and_without_errors(page, server, f"{claim}/cost", language)
    _with_and_without_errors(page, server, f"{claim}/bank", language)
    page.fill("#account_name", "A Example")
    page.fill("#sort_code", "00-00-00")
    page.fill("#account_number", "12345678")
    _submit(page)
    assert "saved=bank" in page.url, page.locator("main").inner_text()

    _with_and_without_errors(page, server, f"{claim}/check", language)  # no declaration ticked
    page.check("#declaration")
    _submit(page)
    assert "sent=1" in page.url, page.locator("main").inner_text()
    axe(page)  # the claim's status once sent


#: a form of each service, sent with its text fields emptied: (who signs in, the page, its form)
FORMS = {
    "registration": (None, "/registration/login", "main form"),
    "expenses": ("finance@example.org", "/expenses/finance/claims/1", "main form:has(#question)"),
    "learning": ("admin@example.org", "/learning/themes/T1", "main form:has(#title)"),
    "notifications": ("host@example.org", "/notifications/exchanges/1/announcement", "main form:has(#contacts)"),
}


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("service", FORMS)
def test_a_form_sent_with_mistakes_opens_on_its_error_summary_in_every_service(page, server, service, language):
    email, path, form = FORMS[service]
    if email:
        sign_in(page, server, email)
    _visit(page, server, path, language)
    page.locator(form).evaluate("f => f.querySelectorAll('input:not([type=hidden]), textarea')"
                                ".forEach(field => { field.value = ''; })")
    _submit(page, f"{form} button[type=submit]")
    _opens_on_its_error_summary(page, language)
    page.keyboard.press("Tab")  # from the summary to its first link, which leads to the field
    page.keyboard.press("Enter")
    first = page.locator(".kx-error-summary a").first.get_attribute("href")
    assert page.evaluate("document.activeElement.id") == first.removeprefix("#"), first


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
