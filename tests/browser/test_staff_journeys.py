"""Issue 7's staff journeys in a real Chromium: a host signs in and records attendance; the expert by
experience who attended claims a train fare with a photo of the receipt; finance queries the claim,
the claimant answers, finance approves it, and two finance users pay it (one makes the payment run,
the other approves it, then records the payments released); a theme lead approves a summary and downloads the theme's pack, a PDF that
opens.

Each journey applies (through the API) as its own applicant, so it needs no other test first.
"""

from __future__ import annotations

import io
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from shared.testing import wait_until

from .conftest import sign_in, took_part

pytestmark = pytest.mark.browser

UK = ZoneInfo("Europe/London")


def _follow(page, locator) -> None:
    locator.click()
    page.wait_for_load_state()


def _goto(page, server, path: str, status: int = 200) -> None:
    response = page.goto(f"{server.base}{path}")
    assert response is not None and response.status == status, f"{path}: {response and response.status}"


def _photo_of_a_receipt() -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 800), "white")
    ImageDraw.Draw(image).text((40, 40), "Train ticket  Cardiff - Aberystwyth  GBP 12.50", fill="black")
    out = io.BytesIO()
    image.save(out, "JPEG", quality=85)
    return out.getvalue()


def test_a_host_records_attendance_then_the_attendee_claims_and_finance_queries_approves_and_two_users_pay(
        page, server):
    name = f"Robin Example {secrets.token_hex(2)}"
    exchange, token = took_part(server, name)  # an exchange since held: attendance and claims are open

    # the host signs in and ticks the exchange visit for the participant
    sign_in(page, server, "host@example.org")
    _goto(page, server, "/registration/staff/")
    _follow(page, page.locator(f"main a[href='/registration/staff/exchanges/{exchange['id']}/attendance']"))
    assert "/attendance" in page.url
    row = page.locator("main tbody tr", has=page.locator(f"th:text-is('{name}')"))
    row.locator("input[type=checkbox][value$=':exchange']").check()
    _follow(page, page.locator("main form button[type=submit]"))
    assert "Attendance saved." in page.locator(".kx-notice").inner_text()
    assert row.locator("input[type=checkbox][value$=':exchange']").is_checked()

    # the attendee: expenses hears of the attendance over the bus, then the claim
    def attendance_arrived() -> bool:  # 404 until expenses has heard of the application
        response = page.goto(f"{server.base}/expenses/manage/{token}")
        return response is not None and response.status == 200 and \
            page.locator("main button:has-text('Claim expenses')").count() == 1

    wait_until(attendance_arrived, timeout=30, interval=0.5, message="expenses to hear of the recorded attendance")
    _follow(page, page.locator("main button:has-text('Claim expenses')"))
    claim_url = page.url.split("?")[0]
    claim_id = int(claim_url.rsplit("/", 1)[1])
    _follow(page, page.locator("main a:has-text('Add another cost')"))
    day = datetime.fromisoformat(exchange["starts_at"]).astimezone(UK).date()
    page.check("input[name=type][value=public_transport]")
    page.fill("input[name=date-day]", str(day.day))
    page.fill("input[name=date-month]", str(day.month))
    page.fill("input[name=date-year]", str(day.year))
    page.fill("#description", "Train, Cardiff to Aberystwyth, return")
    page.fill("#amount", "12.50")
    page.set_input_files("#receipt", files=[{"name": "ticket.jpg", "mimeType": "image/jpeg",
                                             "buffer": _photo_of_a_receipt()}])
    _follow(page, page.locator("main form button[type=submit]"))
    assert page.url.startswith(claim_url), page.locator("main").inner_text()
    assert "£12.50" in page.locator("main").inner_text()
    _follow(page, page.locator("main a:has-text('Give your bank details')"))
    page.fill("#account_name", "R Example")
    page.fill("#sort_code", "12-34-56")
    page.fill("#account_number", "12345678")
    _follow(page, page.locator("main form button[type=submit]"))
    assert "Account ending 5678" in page.locator("main").inner_text()
    _follow(page, page.locator("main a:has-text('Check your answers')"))
    page.check("#declaration")
    _follow(page, page.locator("main form button[type=submit]"))
    assert page.url.startswith(claim_url) and "sent=1" in page.url

    # finance asks a question
    sign_in(page, server, "finance@example.org")
    _goto(page, server, f"/expenses/finance/claims/{claim_id}")
    assert name in page.locator("main").inner_text()
    receipt = page.locator("main img.kx-receipt")
    assert receipt.count() == 1 and receipt.evaluate("img => img.complete && img.naturalWidth") == 600, \
        "finance sees the photo of the receipt"
    page.fill("#question", "Was this an off-peak return?")
    _follow(page, page.locator("main form:has(#question) button[type=submit]"))
    assert "done=query" in page.url

    # the claimant answers and sends the claim again
    _goto(page, server, f"/expenses/manage/{token}/claims/{claim_id}")
    assert "Was this an off-peak return?" in page.locator("main").inner_text()
    _follow(page, page.locator("main a:has-text('Check your answers')"))
    page.fill("#answer", "Yes, an off-peak day return.")
    page.check("#declaration")
    _follow(page, page.locator("main form button[type=submit]"))
    assert "sent=1" in page.url

    # finance approves it and makes a payment run; a second finance user confirms the run
    _goto(page, server, f"/expenses/finance/claims/{claim_id}")
    assert "Yes, an off-peak day return." in page.locator("main").inner_text()
    _follow(page, page.locator("main form[action$='/approve'] button[type=submit]"))
    assert "done=approve" in page.url
    _goto(page, server, "/expenses/finance/runs")
    _follow(page, page.locator("main form button[type=submit]"))
    assert "/expenses/finance/runs/" in page.url
    run_url = page.url
    assert page.locator("main a[href$='/approve']").count() == 0, "the one who made the run may not approve it"
    sign_in(page, server, "finance2@example.org")
    page.goto(run_url)
    _follow(page, page.locator("main a[href$='/approve']"))
    _follow(page, page.locator("main form[action$='/approve'] button[type=submit]"))
    assert page.locator(".kx-error-summary").count() == 0, page.locator("main").inner_text()
    _follow(page, page.locator("main a[href$='/confirm']"))
    _follow(page, page.locator("main form[action$='/confirm'] button[type=submit]"))
    assert page.locator(".kx-error-summary").count() == 0, page.locator("main").inner_text()

    assert page.locator("main .kx-summary-list dd").first.inner_text().strip() == "Payments released"
    _goto(page, server, f"/expenses/manage/{token}/claims/{claim_id}")
    assert "Paid" in page.locator("main").inner_text()


def test_a_theme_lead_approves_a_summary_and_downloads_the_pack_a_pdf_that_opens(page, server):
    from pypdf import PdfReader

    sign_in(page, server, "lead@example.org")
    _goto(page, server, "/learning/")
    _goto(page, server, "/learning/exchanges/5/summary")
    approve = page.locator("main form[action$='/summary/approve'] button[type=submit]")
    if approve.count():  # the demo's summary waiting for approval (a rerun finds it approved)
        _follow(page, approve)
        assert "done=approve" in page.url
    assert page.locator("main form[action$='/summary/approve']").count() == 0

    _goto(page, server, "/learning/themes/T1")
    href = page.locator("main a[href*='/themes/T1/pack.pdf?lang=en']").get_attribute("href")
    found = {}

    def pack_with_the_summary() -> bool:
        # the link answers "being prepared" (HTML) until the learning worker has built this version
        answer = page.request.get(f"{server.base}{href}")
        if not answer.headers.get("content-type", "").startswith("application/pdf"):
            return False
        found["pdf"] = answer.body()
        reader = PdfReader(io.BytesIO(found["pdf"]))
        found["pages"] = len(reader.pages)
        return "Young people wanted to choose" in "".join(p.extract_text() or "" for p in reader.pages)

    wait_until(pack_with_the_summary, timeout=180, interval=1, message="the theme's pack with the approved summary")
    assert found["pdf"].startswith(b"%PDF-") and found["pages"] >= 1
