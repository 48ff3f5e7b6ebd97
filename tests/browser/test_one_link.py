"""One person, one link, in a real Chromium at phone and desktop widths, in English and Welsh: an
applicant applies again from their manage page, finds their answers filled in, chooses one more
exchange, and ends with the same link and one manage page holding both bookings; axe-core finds no
violation on the pages this changed (manage page, choice of exchanges, check, confirmation).
And the same person applying again through the public journey, without their link, their email
typed differently: the confirmation shows only the new booking and no link, says the new link went
by email; that email's link opens one manage page with both bookings, and the old link nothing."""

from __future__ import annotations

import email as email_parser
import re
import secrets
from email import policy

import pytest

from shared.testing import wait_until

from .conftest import apply, axe
from .test_applicant_journeys import answer_question

pytestmark = pytest.mark.browser

#: the confirmation's line for a second application (registration's catalogue)
SAME_LINK = {"en": "This is the same link as before: all your bookings are on one page.",
             "cy": "Dyma'r un ddolen ag o'r blaen: mae eich holl archebion ar un dudalen."}


def _load(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url


def _click(page, selector: str) -> None:
    page.locator(selector).last.click()
    page.wait_for_load_state()


def _applied_once(page, server, language: str, width: int) -> tuple[str, dict, str, dict]:
    """The page at `width`; a person of their own address applied once through the API: (their
    email, the exchange, their manage token, another open exchange to apply for again)."""
    page.set_viewport_size({"width": width, "height": 900})
    email = f"again.{secrets.token_hex(4)}@example.org"
    first, token = apply(server, language=language, email=email)
    _status, exchanges = server.api("GET", "/registration/api/exchanges")
    second = next(e for e in exchanges if e["status"] == "open" and e["places_left"] > 2 and e["id"] != first["id"])
    return email, first, token, second


@pytest.mark.parametrize("language, width", [("en", 390), ("cy", 390), ("en", 1280), ("cy", 1280)])
def test_applying_again_from_the_manage_page_keeps_one_link_and_one_manage_page(page, server, language, width):
    email, first, token, second = _applied_once(page, server, language, width)

    _load(page, f"{server.base}/registration/manage/{token}?lang={language}")
    assert page.locator("html").get_attribute("lang") == language
    axe(page)
    _click(page, "main form[action$='/apply'] button[type=submit]")

    assert page.url.endswith("/registration/apply/exchanges"), "the answers given before need no retyping"
    axe(page)
    page.check(f"input[name=exchange_ids][value='{second['id']}']")
    _click(page, "main form button[type=submit]")

    assert "/registration/apply/check" in page.url
    assert email in page.locator("main").inner_text(), "the email given before is among the answers"
    axe(page)
    _click(page, "main form button[type=submit]")

    assert "/registration/apply/confirmation" in page.url
    main = page.locator("main").inner_text()
    assert f"/registration/manage/{token}" in main and SAME_LINK[language] in main
    axe(page)

    _load(page, f"{server.base}/registration/manage/{token}?lang={language}")
    titles = page.locator("main .kx-summary-list__key a").all_inner_texts()
    assert len(titles) == 2, "both bookings on the one manage page"
    if language == "en":  # in Welsh the hosts' Welsh titles show
        assert sorted(titles) == sorted([first["title"], second["title"]])
    status, application = server.api("GET", f"/registration/api/applications/{token}")
    assert status == 200 and sorted(b["exchange_id"] for b in application["bookings"]) == sorted(
        [first["id"], second["id"]])
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"


#: the second confirmation's line when the application joined the person's page by email alone
LINK_EMAILED = {"en": "For your privacy we do not show the link here. We have emailed a new link",
                "cy": "Er mwyn diogelu eich preifatrwydd nid ydym yn dangos y ddolen yma. Rydym wedi anfon dolen newydd"}
LINK = re.compile(r"/registration/manage/([A-Za-z0-9_-]{20,})")


def _links_mailed(server, to: str) -> list[str]:
    """The manage links in the `.eml` files sent to `to`, oldest first."""
    folder = server.settings.var_dir / "mail"
    found = []
    for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns):
        message = email_parser.message_from_bytes(path.read_bytes(), policy=policy.default)
        if message["To"] == to:
            found += LINK.findall(message.get_body(("plain",)).get_content())
    return found


@pytest.mark.parametrize("language, width", [("en", 390), ("cy", 390), ("en", 1280), ("cy", 1280)])
def test_applying_again_without_the_link_shows_no_link_and_emails_the_one_link_to_all_bookings(
        page, server, language, width):
    address, first, token, second = _applied_once(page, server, language, width)

    _load(page, f"{server.base}/registration/apply/about-you?lang={language}")
    while "/registration/apply/exchanges" not in page.url:
        answer_question(page, address.upper(), language)
    answer_question(page, address.upper(), language, (second["id"],))
    assert "/registration/apply/check" in page.url
    _click(page, "main form button[type=submit]")

    assert "/registration/apply/confirmation" in page.url
    assert page.locator("html").get_attribute("lang") == language
    main = page.locator("main").inner_text()
    assert LINK_EMAILED[language] in main
    assert "/registration/manage/" not in page.content(), "no link on the screen: the sender may not own the address"
    assert page.locator("main .kx-summary-list__row").count() == 1, "only what this application booked"
    axe(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width, "no sideways scrolling"

    new = wait_until(lambda: (lambda links: links[-1] if links and links[-1] != token else None)(
        _links_mailed(server, address)), timeout=30, message="the second application's email")
    assert server.api("GET", f"/registration/api/applications/{token}")[0] == 404, "the link before is gone"
    _load(page, f"{server.base}/registration/manage/{new}?lang={language}")
    assert len(page.locator("main .kx-summary-list__key a").all_inner_texts()) == 2, "both bookings, one page"
