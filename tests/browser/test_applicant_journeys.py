"""Registration's applicant pages in a real Chromium, in English and Welsh: axe-core finds no WCAG
2.0/2.1/2.2 A or AA violation on any of them (question pages with their errors shown too); the
application can be completed with the keyboard alone; an applicant applies for three exchanges (two
on one day), is warned, finishes, and cancels one from the manage page; the same journey entirely in
Welsh after the language link; going back and changing answers (the session cookie, read as anyone
holding it could, never holds one); and the error summary takes focus, links to the fields and keeps
what was typed.

Every applicant here has their own email address, and each test applies at most once, so the tests
need no particular order and stay under the limit on applications from one address.
"""

from __future__ import annotations

import re
import secrets
from collections import defaultdict
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from .conftest import axe

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "cy")
UK = ZoneInfo("Europe/London")

#: what the pages say, in each language (the msgids and their Welsh in registration's catalogue)
SAYS = {
    "en": {"error": "Error: ", "problem": "There is a problem", "catalogue": "Knowledge exchanges",
           "apply": "Apply for a knowledge exchange", "check": "Check your answers before sending your application",
           "same_day": "are on the same day", "sent": "Application sent", "confirmed": "Confirmed",
           "bookings": "Your bookings", "sure": "Are you sure you want to cancel your booking?",
           "cancelled": "You have cancelled your place on {title}.", "cancelled_tag": "Cancelled",
           "enter_name": "Enter your full name.", "weekday": r"(Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday)"},
    "cy": {"error": "Gwall: ", "problem": "Mae problem", "catalogue": "Cyfnewidiadau gwybodaeth",
           "apply": "Gwneud cais am gyfnewid gwybodaeth", "check": "Gwiriwch eich atebion cyn anfon eich cais",
           "same_day": "ar yr un diwrnod", "sent": "Cais wedi'i anfon", "confirmed": "Wedi'i gadarnhau",
           "bookings": "Eich archebion", "sure": "Ydych chi'n siŵr eich bod am ganslo eich archeb?",
           "cancelled": "Rydych wedi canslo eich lle ar {title}.", "cancelled_tag": "Wedi'i ganslo",
           "enter_name": "Rhowch eich enw llawn.", "weekday": r"Dydd (Llun|Mawrth|Mercher|Iau|Gwener|Sadwrn|Sul)"},
}
#: English that must never show on a Welsh page (words of the page furniture, not hosts' data)
ENGLISH = ("Continue", "Back", "Apply for", "Change", "Your bookings", "Check your answers", "There is a problem",
           "Confirmed", "waiting list", "(optional)", "Warning")


# --- helpers ---------------------------------------------------------------------------------------


def _email(what: str) -> str:
    return f"{what}.{secrets.token_hex(4)}@example.org"


def _in(page, language: str) -> None:
    """The page is in `language`: `<html lang>` and, in Welsh, none of the English furniture."""
    assert page.locator("html").get_attribute("lang") == language, page.url
    if language == "cy":
        text = page.locator("main").inner_text()
        left = [word for word in ENGLISH if word in text]
        assert not left, f"{page.url}: English on a Welsh page: {left}"


def _goto(page, server, path: str, language: str | None = None, status: int = 200) -> None:
    joiner = "&" if "?" in path else "?"
    response = page.goto(f"{server.base}{path}" + (f"{joiner}lang={language}" if language else ""))
    assert response is not None and response.status == status, f"{path}: {response and response.status}"


def _submit(page) -> None:
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_load_state()


def _follow(page, locator) -> None:
    locator.click()
    page.wait_for_load_state()


def _question(page) -> str:
    return page.url.split("/registration/apply/")[1].split("?")[0]


def _exchanges(server) -> list[dict]:
    status, exchanges = server.api("GET", "/registration/api/exchanges")
    assert status == 200
    return [e for e in exchanges if e["status"] == "open" and e["places_left"] > 2]


def _day(exchange: dict):
    return datetime.fromisoformat(exchange["starts_at"]).astimezone(UK).date()


def three_exchanges(server, offset: int = 0) -> tuple[dict, dict, dict]:
    """Two open exchanges on one day and a third on another, whose sessions are not on that day
    either (so the pair's is the one clash); `offset` picks another such pair."""
    by_day = defaultdict(list)
    for exchange in _exchanges(server):
        by_day[_day(exchange)].append(exchange)
    pairs = [day for day, on_day in sorted(by_day.items()) if len(on_day) >= 2]
    assert pairs, "the demo programme has two open exchanges on one day"
    day = pairs[offset % len(pairs)]
    first, second = by_day[day][:2]
    third = next(e for e in _exchanges(server) if _day(e) != day and not any(
        session and datetime.fromisoformat(session["starts_at"]).astimezone(UK).date() == day
        for session in (e["orientation"], e["reflection"])))
    return first, second, third


def answer_question(page, email: str, language: str, exchange_ids: tuple[int, ...] = ()) -> None:
    """Answer the question page shown (as an expert by experience), then continue."""
    slug = _question(page)
    if slug == "about-you":
        page.fill("#name", "Alex Example")
        page.fill("#email", email)
        page.fill("#organisation", "Example Health Board")
        page.fill("#role", "Peer support worker")
    elif slug == "taking-part":
        page.check("input[name=participant_type][value=experience]")
        page.check("input[name=stakeholder_group][value=lived_experience]")
    elif slug == "line-manager":
        page.check("input[name=line_manager_permission][value=no_line_manager]")
    elif slug == "sessions":
        page.check("input[name=will_attend_sessions][value=yes]")
    elif slug == "access-needs":
        page.fill("#access_needs", "A quiet space to take a break.\nStep-free access.")
    elif slug == "language":
        page.check(f"input[name=language][value={language}]")
    elif slug == "privacy":
        page.check("#privacy_notice_accepted")
    elif slug == "exchanges":
        for exchange_id in exchange_ids:
            page.check(f"input[name=exchange_ids][value='{exchange_id}']")
    else:
        raise AssertionError(f"an unexpected page: {page.url}")
    _submit(page)


def show_errors(page) -> None:
    """Make the question page shown answer with its errors: send it empty, or (where empty is a
    right answer) with an answer the schema refuses."""
    slug = _question(page)
    if slug == "access-needs":
        page.fill("#access_needs", "x" * 2001)
    elif slug == "language":  # always answered (the page's language is chosen): send a language kx lacks
        page.eval_on_selector("input[name=language]", "radio => { radio.value = 'fr'; radio.checked = true; }")
    _submit(page)
    assert page.locator(".kx-error-summary").count() == 1, f"{page.url} shows no error summary"


# --- accessibility -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_applicant_page_has_no_accessibility_violations_with_and_without_errors(page, server, language):
    visited = []

    def check(status: int = 200):
        _in(page, language)
        axe(page)
        visited.append(page.url)

    first, second, third = three_exchanges(server, offset=1)
    _goto(page, server, "/registration/", language)
    check()
    _goto(page, server, f"/registration/exchanges/{first['id']}", language)
    check()
    _goto(page, server, "/registration/?theme=nonsense&date=nonsense", language, status=422)
    check()
    _goto(page, server, "/registration/apply/", language)
    check()
    _follow(page, page.locator("main a.kx-button--start"))
    while "/apply/check" not in page.url:
        check()  # the question as first shown
        show_errors(page)
        check()
        answer_question(page, _email(f"axe.{language}"), language, (first["id"], second["id"]))
    check()  # check your answers, with its same-day warning
    assert page.locator(".kx-warning-text").count() == 1
    _submit(page)
    assert "/apply/confirmation" in page.url
    check()
    _follow(page, page.locator("main a[href*='/registration/manage/']"))
    check()
    _follow(page, page.locator("main a[href*='/cancel']").first)
    check()
    _follow(page, page.locator("main form button[type=submit]"))  # cancelled: the notice on the manage page
    assert page.locator(".kx-notice").count() == 1
    check()
    for missing in ("/registration/no-such-page", f"/registration/manage/{secrets.token_urlsafe(32)}",
                    "/registration/exchanges/99999", "/registration/apply/no-such-question"):
        _goto(page, server, missing, language, status=404)
        check()
    assert len(visited) >= 25, visited


# --- keyboard only -------------------------------------------------------------------------------------


def _tab_to(page, selector: str, most: int = 80) -> None:
    """Press Tab until the element that has focus matches `selector`."""
    for _ in range(most):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{page.url}: Tab never reached {selector}")


def _press_to_load(page, key: str) -> None:
    with page.expect_navigation():
        page.keyboard.press(key)


def _by_keyboard(page, slug: str, *steps: tuple[str, str]) -> None:
    """On question `slug`: Tab to each step's element and press Space (`"Space"`) or type its text;
    then Tab to Continue and press Enter."""
    assert _question(page) == slug
    for selector, what in steps:
        _tab_to(page, selector, most=200)
        if what == "Space":
            page.keyboard.press("Space")
        else:
            page.keyboard.type(what)
    _tab_to(page, "main form button[type=submit]", most=200)
    _press_to_load(page, "Enter")


def test_the_application_can_be_completed_with_the_keyboard_alone(page, server):
    first, second, _third = three_exchanges(server, offset=2)
    _goto(page, server, "/registration/apply/", "en")
    _tab_to(page, "main a.kx-button--start")
    _press_to_load(page, "Enter")

    _by_keyboard(page, "about-you", ("#name", "Sam Example"), ("#email", _email("keyboard")),
                 ("#organisation", "Example Health Board"), ("#role", "Occupational therapist"))
    # a group of radios takes one Tab, landing on its first option; Space chooses it
    _by_keyboard(page, "taking-part", ("#participant_type", "Space"))
    _by_keyboard(page, "line-manager", ("#line_manager_permission", "Space"))
    _by_keyboard(page, "sessions", ("#will_attend_sessions", "Space"))
    _by_keyboard(page, "access-needs", ("#access_needs", "A hearing loop."))
    assert page.is_checked("input[name=language][value=en]"), "already answered: the page's language"
    _by_keyboard(page, "language")
    _by_keyboard(page, "privacy", ("#privacy_notice_accepted", "Space"))
    _by_keyboard(page, "exchanges", *((f"input[name=exchange_ids][value='{e['id']}']", "Space") for e in (first, second)))

    assert "/apply/check" in page.url
    assert "Sam Example" in page.locator("main").inner_text()
    _tab_to(page, "main form button[type=submit]", most=200)
    _press_to_load(page, "Enter")

    assert "/apply/confirmation" in page.url
    assert page.locator("main h1").inner_text() == "Application sent"
    assert page.locator("main .kx-tag--confirmed").count() == 2


# --- the journey -------------------------------------------------------------------------------------


def _journey(page, server, language: str, offset: int) -> None:
    """From the catalogue (already open, in `language`): apply for three exchanges, two on one day,
    see the warning, finish, open the manage page and cancel one, checking each page's language."""
    says = SAYS[language]
    # each exchange by its title in the page's language (the demo has Welsh for every one)
    first, second, third = ({**e, "title": e["title_cy"] if language == "cy" else e["title"]}
                            for e in three_exchanges(server, offset=offset))
    assert page.locator("main h1").inner_text() == says["catalogue"]
    _follow(page, page.locator(f"main a[href='/registration/exchanges/{first['id']}']"))
    _in(page, language)
    assert page.locator("main h1").inner_text() == first["title"], "the title in the page's language"
    _follow(page, page.locator("main a.kx-button"))
    _in(page, language)
    assert page.locator("main h1").inner_text() == says["apply"]
    assert first["title"] in page.locator("main .kx-inset").inner_text()
    _follow(page, page.locator("main a.kx-button--start"))
    email = _email(f"journey.{language}")
    while _question(page) != "exchanges":
        _in(page, language)
        answer_question(page, email, language)
    _in(page, language)
    assert page.is_checked(f"input[name=exchange_ids][value='{first['id']}']"), "chosen on the exchange's page"
    answer_question(page, email, language, (second["id"], third["id"]))

    assert "/apply/check" in page.url
    _in(page, language)
    main = page.locator("main").inner_text()
    assert page.locator("main h1").inner_text() == says["check"]
    warning = page.locator(".kx-warning-text").inner_text()
    assert says["same_day"] in warning and first["title"] in warning and second["title"] in warning
    assert third["title"] not in warning
    assert re.search(says["weekday"] + r" \d{1,2} ", main), "dates in the page's language"
    _submit(page)

    assert "/apply/confirmation" in page.url
    _in(page, language)
    assert page.locator("main h1").inner_text() == says["sent"]
    assert page.locator("main .kx-tag--confirmed").count() == 3
    assert all(says["confirmed"] == tag for tag in page.locator("main .kx-tag--confirmed").all_inner_texts())
    assert email in page.locator("main").inner_text()
    _follow(page, page.locator("main a[href*='/registration/manage/']"))

    _in(page, language)
    assert page.locator("main h1").inner_text() == says["bookings"]
    titles = page.locator("main .kx-summary-list__key a").all_inner_texts()
    assert sorted(titles) == sorted(e["title"] for e in (first, second, third))
    _follow(page, page.locator(f"main a[href$='/bookings/{second['id']}/cancel']"))

    _in(page, language)
    assert page.locator("main h1").inner_text() == says["sure"]
    assert second["title"] in page.locator("main").inner_text()
    _follow(page, page.locator("main form button[type=submit]"))

    _in(page, language)
    assert page.locator(".kx-notice").inner_text().strip() == says["cancelled"].format(title=second["title"])
    rows = {row.locator("dt a").inner_text(): row.locator(".kx-summary-list__value").inner_text().strip()
            for row in page.locator("main .kx-summary-list__row").all()}
    assert rows == {first["title"]: says["confirmed"], second["title"]: says["cancelled_tag"],
                    third["title"]: says["confirmed"]}


def test_an_applicant_applies_for_three_exchanges_is_warned_of_a_clash_and_cancels_one(page, server):
    _goto(page, server, "/registration/", "en")
    _journey(page, server, "en", offset=3)


def test_the_same_journey_entirely_in_welsh_after_the_language_link(page, server):
    _goto(page, server, "/registration/")
    assert page.locator("html").get_attribute("lang") == "en"
    _follow(page, page.locator("nav.kx-language a[hreflang=cy]"))
    _in(page, "cy")
    _journey(page, server, "cy", offset=4)


def _cookie_session(page, server) -> dict:
    """The session as anyone holding its cookie reads it: signed, not encrypted."""
    signer = Flask(__name__)
    signer.secret_key = server.settings.secret_key
    cookie = next((c for c in page.context.cookies() if c["name"] == "kx_session"), None)
    return SecureCookieSessionInterface().get_signing_serializer(signer).loads(cookie["value"]) if cookie else {}


@pytest.mark.parametrize("language", LANGUAGES)
def test_going_back_and_changing_answers_works_and_the_cookie_never_holds_an_answer(page, server, language):
    says = SAYS[language]
    exchange = _exchanges(server)[LANGUAGES.index(language)]
    email = _email(f"changes.{language}")
    typed = ["Alex Example", email, "Example Health Board", "Peer support worker", "A quiet space", "A hearing loop"]

    def cookie_holds_no_answer():
        readable = repr(_cookie_session(page, server))
        assert not [value for value in typed if value in readable], (page.url, readable)

    _goto(page, server, "/registration/apply/", language)
    _follow(page, page.locator("main a.kx-button--start"))
    answer_question(page, email, language)
    answer_question(page, email, language)
    cookie_holds_no_answer()
    _follow(page, page.locator("main a.kx-back-link, a.kx-back-link").first)
    _in(page, language)
    assert _question(page) == "taking-part" and page.is_checked("input[name=participant_type][value=experience]")
    page.check("input[name=participant_type][value=both]")
    _submit(page)
    while _question(page) != "exchanges":
        answer_question(page, email, language)
        cookie_holds_no_answer()
    answer_question(page, email, language, (exchange["id"],))

    assert "/apply/check" in page.url
    _follow(page, page.locator("main a[href^='/registration/apply/access-needs?change=1']"))
    _in(page, language)
    assert "A quiet space" in page.input_value("#access_needs")
    page.fill("#access_needs", "A hearing loop, please.")
    _submit(page)
    assert "/apply/check" in page.url
    _in(page, language)
    main = page.locator("main").inner_text()
    assert "A hearing loop, please." in main and "A quiet space" not in main
    assert {"en": "Expert by occupation and by experience",
            "cy": "Arbenigwr drwy alwedigaeth a thrwy brofiad"}[language] in main
    cookie_holds_no_answer()
    _submit(page)
    assert "/apply/confirmation" in page.url
    assert page.locator("main h1").inner_text() == says["sent"]
    cookie_holds_no_answer()


# --- the error summary -----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_empty_page_gets_an_error_summary_with_focus_that_links_to_the_fields_and_keeps_what_was_typed(
        page, server, language):
    says = SAYS[language]
    _goto(page, server, "/registration/apply/about-you", language)
    _submit(page)
    assert page.title().startswith(says["error"])
    summary = page.locator(".kx-error-summary")
    assert summary.locator("h2").inner_text() == says["problem"]
    assert page.evaluate("document.activeElement && document.activeElement.classList.contains('kx-error-summary')")
    links = summary.locator("a")
    assert links.first.inner_text() == says["enter_name"]
    assert [links.nth(i).get_attribute("href") for i in range(links.count())] == ["#name", "#email"]
    assert page.locator("#name-error").inner_text().endswith(says["enter_name"])
    assert page.locator("#name").get_attribute("aria-describedby") == "name-error"

    # typed answers come back as typed, however wrong; following a link puts focus on its field
    page.fill("#email", "alex.example.org")
    page.fill("#organisation", "Example Health Board")
    page.fill("#role", "Ward manager")
    _submit(page)
    assert page.title().startswith(says["error"])
    assert page.input_value("#email") == "alex.example.org"
    assert page.input_value("#organisation") == "Example Health Board"
    assert page.input_value("#role") == "Ward manager"
    page.keyboard.press("Tab")  # from the focused summary to its first link
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "name"

    # a page of radios: the link lands on the first radio of the group
    _goto(page, server, "/registration/apply/taking-part", language)
    _submit(page)
    assert page.title().startswith(says["error"])
    assert page.locator(".kx-error-summary a").first.get_attribute("href") == "#participant_type"
    assert page.locator("#participant_type").get_attribute("type") == "radio"


# --- a lost or replaced manage link --------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_lost_link_and_new_link_pages_have_no_accessibility_violations(page, server, language):
    """"Lost your link?" as first shown, with its error, and its answer; "Get a new link" on the
    manage page and its answer; the 404 of an unknown manage link, which points to "Lost your link?"."""
    from .conftest import apply

    _goto(page, server, f"/registration/manage/{secrets.token_urlsafe(32)}", language, status=404)
    _in(page, language)
    axe(page)
    _follow(page, page.locator("main a[href='/registration/link']"))
    _in(page, language)
    axe(page)
    _submit(page)  # no email: the error summary
    assert page.title().startswith(SAYS[language]["error"])
    assert page.evaluate("document.activeElement && document.activeElement.classList.contains('kx-error-summary')")
    _in(page, language)
    axe(page)
    page.fill("#email", _email("lost"))
    _submit(page)
    assert "/registration/link" in page.url and page.locator("h1").count() == 1
    _in(page, language)
    axe(page)

    _exchange, token = apply(server, language=language)
    _goto(page, server, f"/registration/manage/{token}", language)
    page.locator("main form[action$='/link'] button[type=submit]").click()
    page.wait_for_load_state()
    _in(page, language)
    axe(page)
    assert page.goto(f"{server.base}/registration/manage/{token}").status == 404, "the old link opens nothing"
