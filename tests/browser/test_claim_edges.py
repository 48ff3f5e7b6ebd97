"""The claimant's pages that issue 15 changed, in a real Chromium at a phone's width (390 px) and a
desktop's (1280 px), in English and Welsh, each with no axe violation and no sideways scroll:

- "Yes, this journey was more than 1,000 miles" is asked only of a journey that long: hidden for a
  short one, shown as the distance is typed (claim.js) and by the server when the form comes back;
- a receipt file that is refused is named in the error summary together with the form's other
  mistakes, not instead of them;
- once sent, the claim's page gives its reference and how long finance usually takes.

Each run applies as its own expert by experience, who attended, and claims once.
"""

from __future__ import annotations

import pytest

from .conftest import attended, axe, fits

pytestmark = pytest.mark.browser

SIZES = (390, 1280)
LANGUAGES = ("en", "cy")
#: what the pages say, by language
LONG = {"en": "Yes, this journey was more than 1,000 miles", "cy": "Oedd, roedd y daith hon yn fwy na 1,000 milltir"}
SENT = {"en": ("Claim sent", "Your claim reference is", "usually within two weeks"),
        "cy": ("Hawliad wedi'i anfon", "Cyfeirnod eich hawliad yw", "fel arfer o fewn pythefnos")}
PROBLEM = {"en": "There is a problem", "cy": "Mae problem"}


def _checked(page) -> None:
    """The page as shown: no accessibility violation, no sideways scroll."""
    axe(page)
    fits(page)


def _submit(page, button: str = "main form button[type=submit]") -> None:
    page.locator(button).last.click()
    page.wait_for_load_state()


def _a_claim(page, server, language: str) -> tuple[str, list[str]]:
    """An attendee's new claim, opened in `language`: (its path, the exchange's day as d, m, yyyy)."""
    exchange, start = attended(page, server, language)
    _submit(page, start)
    year, month, day = exchange["starts_at"][:10].split("-")
    return page.url.split("?")[0].removeprefix(server.base), [day.lstrip("0"), month.lstrip("0"), year]


def _date(page, day: list[str]) -> None:
    for field, value in zip(("#date", "#date-month", "#date-year"), day, strict=True):
        page.fill(field, value)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("sized", SIZES, indirect=True)
def test_a_claimant_confirms_only_a_long_journey_sees_a_bad_receipt_among_the_other_errors_and_gets_a_reference(
        sized, server, language):
    page = sized
    claim, day = _a_claim(page, server, language)
    long_journey = page.locator("#long-journey")

    # a journey: the 1,000-mile confirmation only for one that long
    page.goto(f"{server.base}{claim}/journey?lang={language}")
    assert long_journey.is_hidden(), "not asked before a distance is given"
    _checked(page)
    _date(page, day)
    page.fill("#from", "Aberaeron")
    page.fill("#to", "Aberystwyth")
    page.fill("#miles", "1200")
    assert long_journey.is_visible(), "asked as a long distance is typed"
    page.fill("#miles", "32")
    assert long_journey.is_hidden(), "not asked of a short journey"
    page.fill("#miles", "1200")
    _submit(page, "main form button[value=save]")  # not confirmed: the server asks, and shows the question
    assert page.locator(".kx-error-summary").count() == 1 and long_journey.is_visible()
    assert page.locator("#miles").input_value() == "1200"
    assert long_journey.inner_text().strip() == LONG[language]
    _checked(page)
    page.fill("#miles", "32")
    assert long_journey.is_hidden()
    _submit(page, "main form button[value=save]")
    assert "saved=journey" in page.url, page.locator("main").inner_text()

    # a train fare with a file that is not a receipt, and no description or amount: every mistake at once
    page.goto(f"{server.base}{claim}/cost?lang={language}")
    page.check("input[name=type][value=public_transport]")
    _date(page, day)
    page.set_input_files("#receipt", files=[{"name": "receipt.pdf", "mimeType": "application/pdf",
                                             "buffer": b"this is not a PDF, nor a photo of a receipt"}])
    _submit(page)
    summary = page.locator(".kx-error-summary")
    assert PROBLEM[language] in summary.inner_text()
    targets = set(summary.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))
    assert "#receipt" in targets and {"#description", "#amount"} <= targets, targets
    assert page.locator(".kx-form-group--error:has(#receipt) .kx-error-message").count() == 1
    _checked(page)

    # bank details, check your answers, send: the reference and what happens next
    page.goto(f"{server.base}{claim}/bank?lang={language}")
    page.fill("#account_name", "A Example")
    page.fill("#sort_code", "00-00-00")
    page.fill("#account_number", "12345678")
    _submit(page)
    assert "saved=bank" in page.url, page.locator("main").inner_text()
    page.goto(f"{server.base}{claim}/check?lang={language}")
    page.check("#declaration")
    _submit(page)
    assert "sent=1" in page.url, page.locator("main").inner_text()
    panel = page.locator(".kx-panel")
    title, reference, timescale = SENT[language]
    assert title in panel.inner_text() and reference in panel.inner_text()
    assert page.locator("#claim-reference").inner_text().strip() == claim.rsplit("/", 1)[1]
    assert timescale in page.locator("main").inner_text()
    _checked(page)
