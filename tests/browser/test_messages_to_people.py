"""The programme team's message to people, in a real Chromium at phone and desktop widths, in
English and Welsh: the form, the form with its errors, the check page and the sent panel have no
axe violations and reflow with no sideways scrolling; the message then reaches a Welsh applicant
in Welsh (the `.eml` the embedded sender writes)."""

from __future__ import annotations

import secrets
from email import message_from_bytes, policy

import pytest

from services.notifications.delivery import mail_folder
from shared.testing import wait_until

from .conftest import apply, axe, sign_in

pytestmark = pytest.mark.browser

#: the page's heading, and the error summary's title, in each language
SAYS = {"en": ("Send a message to people", "There is a problem", "Check your message before sending it"),
        "cy": ("Anfon neges at bobl", "Mae problem", "Gwiriwch eich neges cyn ei hanfon")}


def _fits(page) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), (
        f"{page.url} scrolls sideways at {page.viewport_size['width']} px")
    axe(page)


def _received(server, address: str) -> list:
    folder = mail_folder(server.settings)
    found = [message_from_bytes(path.read_bytes(), policy=policy.default) for path in folder.glob("**/*.eml")]
    return [m for m in found if m["To"] == address]


@pytest.mark.parametrize("width", (390, 1280))
@pytest.mark.parametrize("language", ("en", "cy"))
def test_a_message_is_written_checked_and_sent_to_each_person_in_their_language(page, server, language, width):
    page.set_viewport_size({"width": width, "height": 900})
    address = f"ffion.{secrets.token_hex(4)}@example.org"
    exchange, _token = apply(server, name="Ffion Example", language="cy", email=address)
    sign_in(page, server, "admin@example.org")
    page.goto(f"{server.base}/notifications/messages/new?lang={language}")
    heading, problem, check = SAYS[language]
    wait_until(lambda: page.reload() and page.locator(f"#exchange_id option[value='{exchange['id']}']").count() == 1,
               timeout=60, interval=0.5, message="notifications to hear of the exchange")
    assert page.locator("h1").inner_text() == heading
    _fits(page)

    page.locator("main form button[type=submit]").last.click()
    assert page.locator(".kx-error-summary h2").inner_text() == problem
    assert page.locator(".kx-error-summary li").count() == 5  # who, and the four texts: every error at once
    _fits(page)

    run = secrets.token_hex(3)
    page.check("#kind")  # an exchange's confirmed participants
    page.select_option("#exchange_id", str(exchange["id"]))
    page.fill("#subject", f"Parking at the venue {run}")
    page.fill("#body", "The car park is closed on the day: please use the station car park.")
    page.fill("#subject_cy", f"Parcio yn y lleoliad {run}")
    page.fill("#body_cy", "Mae'r maes parcio ar gau ar y diwrnod: defnyddiwch faes parcio'r orsaf.")
    page.locator("main form button[type=submit]").last.click()
    assert page.locator("h1").inner_text() == check
    assert f"Parcio yn y lleoliad {run}" in page.locator("main").inner_text()
    _fits(page)

    page.locator("main button[value=send]").click()
    assert page.locator(".kx-panel").count() == 1
    _fits(page)

    wait_until(lambda: any(m["Subject"] == f"Parcio yn y lleoliad {run}" for m in _received(server, address)),
               timeout=90, interval=0.5, message="the Welsh applicant's message to be sent")
    [welsh] = [m for m in _received(server, address) if m["Subject"] == f"Parcio yn y lleoliad {run}"]
    text = welsh.get_body(("plain",)).get_content()
    assert "Mae'r maes parcio ar gau" in text and "car park" not in text
