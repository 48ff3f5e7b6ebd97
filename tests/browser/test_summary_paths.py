"""Issue 16's paths, in a real Chromium at a phone's width and a desktop's, in English and Welsh,
with no accessibility violation on any of their pages: a participant reads their exchange's summary
and adds their name to it; the host marks a reflection folded in and reads the feedback comments;
the theme lead picks a comment to quote in the pack."""

from __future__ import annotations

import secrets

import pytest

from shared.testing import wait_until

from .conftest import apply, axe, fresh_exchange, hold, sign_in

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "cy")
WIDTHS = (390, 1280)
SUMMARY = {"key_insights": ["A single front door helped (illustrative)"], "innovations": "Walk-in sessions",
           "challenges": "", "transferable_ideas": "", "outcomes_met": [], "contributors": ["The host team"]}


@pytest.fixture(scope="module")
def exchange_with_feedback(server):
    """An exchange with five attendees who gave feedback with a comment, a reflection from the
    first, and a draft summary by its host: (the exchange, the first attendee's manage token)."""
    emails = [f"said.{secrets.token_hex(4)}@example.org"]
    exchange, first = apply(server, email=emails[0], exchange=fresh_exchange(server))
    tokens = [first]
    for _n in range(4):
        email = f"said.{secrets.token_hex(4)}@example.org"
        status, applied = server.api("POST", "/registration/api/applications", {
            "applicant": {"name": "Sam Example", "email": email, "organisation": "", "role": "",
                          "participant_type": "occupation", "stakeholder_group": "health", "language": "en",
                          "access_needs": ""},
            "exchange_ids": [exchange["id"]], "line_manager_permission": "yes", "will_attend_sessions": True,
            "privacy_notice_accepted": True})
        assert status == 201 and applied["bookings"][0]["status"] == "confirmed", applied
        tokens.append(applied["manage_token"])
        emails.append(email)
    exchange = hold(server, exchange)  # attendance is recorded once it has been held
    host = server.host_token(exchange["id"])
    for email in emails:
        status, answer = server.api("POST", f"/registration/api/exchanges/{exchange['id']}/attendance",
                                    {"email": email, "stage": "exchange", "attended": True}, token=host)
        assert status == 200, answer
    for n, token in enumerate(tokens):
        def given(token=token, n=n) -> bool:  # learning hears of the attendance over the bus (403 till then)
            status, _answer = server.api("POST", "/learning/api/feedback", {
                "manage_token": token, "about": f"exchange:{exchange['id']}", "would_recommend": True, "rating": 4,
                "comment": f"Comment {n + 1}: the day changed how our team starts conversations (illustrative)"})
            return status in (200, 201)
        wait_until(given, timeout=30, interval=0.5, message="learning to hear of the attendance")
    status, _ = server.api("PUT", "/learning/api/reflections", {
        "manage_token": first, "exchange_id": exchange["id"], "text": "Ask first, then listen.", "credit_as": ""})
    assert status == 200
    status, answer = server.api("PUT", f"/learning/api/exchanges/{exchange['id']}/summary", SUMMARY, token=host)
    assert status == 200, answer
    return exchange, first


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_a_participant_reads_the_summary_and_adds_their_name(page, server, exchange_with_feedback, width, language):
    exchange, token = exchange_with_feedback
    page.set_viewport_size({"width": width, "height": 900})
    page.goto(f"{server.base}/learning/manage/{token}?lang={language}")
    page.locator(f"main a[href$='/exchanges/{exchange['id']}/summary']").click()
    page.wait_for_load_state()
    assert "A single front door helped" in page.inner_text("main")
    axe(page)
    page.fill("#name", "")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert page.locator(".kx-error-summary").count() == 1
    axe(page)
    page.fill("#name", f"Sam Example {language} {width}")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert f"Sam Example {language} {width}" in page.inner_text("main")
    assert page.locator(".kx-notice").count() == 1
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_host_marks_a_reflection_folded_in_and_reads_the_comments(page, server, exchange_with_feedback, width,
                                                                     language):
    exchange, _token = exchange_with_feedback
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, "host@example.org")
    page.goto(f"{server.base}/learning/exchanges/{exchange['id']}/summary/edit?lang={language}")
    axe(page)
    page.locator("form[action$='/folded'] button").first.click()
    page.wait_for_load_state()
    assert "/summary/edit" in page.url
    page.goto(f"{server.base}/learning/exchanges/{exchange['id']}/summary?lang={language}")
    assert "Comment 3: the day changed" in page.inner_text("main")
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("width", WIDTHS)
def test_the_theme_lead_picks_a_comment_for_the_pack(page, server, exchange_with_feedback, width, language):
    exchange, _token = exchange_with_feedback
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, server, "lead@example.org")
    page.goto(f"{server.base}/learning/themes/{exchange['theme']}?lang={language}")
    box = page.locator("input[name=quote]").first
    box.set_checked(not box.is_checked())
    page.locator(f"form[action$='/themes/{exchange['theme']}/quotes'] button").click()
    page.wait_for_load_state()
    assert "saved=quotes" in page.url and page.locator(".kx-notice").count() == 1
    axe(page)
