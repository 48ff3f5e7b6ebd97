"""Claim, summary and pack events become their messages; an event lacking what its message needs
is dead-lettered with a log line naming the field, never the person."""

from __future__ import annotations

import logging
import threading

import pytest

from services.notifications.operations.rendering import MissingField
from shared.bus import Bus, dumps
from shared.events import make_envelope
from shared.testing import wait_until
from shared.worker import Worker

from .conftest import drain, messages


def _claim(status: str, **extra) -> dict:
    return {"claim_id": 12, "exchange_id": 7, "claimant_email": "alex@example.org", "language": "en",
            "total_pence": 4270, "reason": None, "claimant_name": "Alex Example",
            "exchange_title": "Crisis care in the community", "url": "/expenses/claims/12", **extra}


@pytest.mark.parametrize(("status", "subject", "says"), [
    ("submitted", "We have received your expenses claim", "£42.70 (Crisis care in the community)"),
    ("approved", "Your expenses claim is approved", "next payment run"),
    ("paid", "Your expenses have been paid", "paid into your bank account"),
    ("bank_details_changed", "The bank details on your expenses claim were changed", "If you did not change them"),
])
def test_each_claim_event_sends_the_claimant_its_message(runtime, events, status, subject, says):
    events.deliver(f"expenses.claim.{status}", _claim(status))
    [message] = messages(runtime)
    assert (message.template, message.subject) == (f"claim_{status}", subject)
    assert says in message.text_body
    assert "https://kx.example.org/expenses/claims/12" in message.text_body


def test_a_queried_claim_carries_the_question_and_a_rejected_one_the_reason(runtime, events):
    events.deliver("expenses.claim.queried", _claim("queried", reason="Which station did you travel from?"))
    events.deliver("expenses.claim.rejected", _claim("rejected", reason="The exchange was not attended."))
    queried, rejected = messages(runtime)
    assert queried.subject == "A question about your expenses claim"
    assert "Which station did you travel from?" in queried.text_body
    assert "Which station did you travel from?" in queried.html_body
    assert "The exchange was not attended." in rejected.text_body


def test_a_returned_summary_tells_each_host_the_comment(runtime, events):
    events.deliver("learning.summary.returned", {
        "exchange_id": 7, "theme": "T1", "version": 2, "title": "Crisis care in the community",
        "comment": "Please add the outcomes.", "recipients": ["host@example.org", "cohost@example.org"],
        "language": "en", "url": "/learning/exchanges/7/summary"})
    sent = messages(runtime)
    assert sorted(m.recipient for m in sent) == ["cohost@example.org", "host@example.org"]
    assert sent[0].subject == "Your summary has been returned with a comment: Crisis care in the community"
    assert "Please add the outcomes." in sent[0].text_body
    assert "https://kx.example.org/learning/exchanges/7/summary" in sent[0].text_body


def test_a_generated_pack_tells_the_theme_lead(runtime, events, mail_server):
    events.deliver("learning.pack.generated", {
        "theme": "T1", "pages": 12, "sha256": "a" * 64, "title": "Crisis care", "language": "en",
        "recipients": ["lead@example.org"], "url": "/learning/themes/T1/pack.pdf"})
    drain(runtime)
    [received] = mail_server.received
    assert received.email["Subject"] == "The workshop pack is ready: Crisis care"
    assert "It has 12 pages" in received.email.get_body(("plain",)).get_content()


def test_an_event_without_what_its_message_needs_raises_naming_the_field(runtime, events):
    with pytest.raises(MissingField, match="`reason`"):
        events.deliver("expenses.claim.queried", _claim("queried"))
    with pytest.raises(MissingField, match="`recipients`"):
        events.deliver("learning.summary.returned", {"exchange_id": 7, "theme": "T1", "version": 2})
    with pytest.raises(MissingField, match="`exchange`"):
        events.booking("confirmed", brief=False, booking_id=40, exchange_id=40)
    assert messages(runtime) == []


def test_a_summary_or_pack_event_with_nobody_to_tell_sends_nothing_and_is_no_fault(runtime, events):
    events.deliver("learning.summary.submitted", {"exchange_id": 7, "theme": "T1", "version": 1, "recipients": []})
    events.deliver("learning.pack.generated", {"theme": "T1", "pages": 3, "sha256": "0" * 64, "recipients": []})
    assert messages(runtime) == []


def test_an_event_missing_a_needed_field_is_dead_lettered_with_a_log_line_naming_the_field_not_the_person(
        runtime, caplog):
    stop = threading.Event()
    worker = Worker(runtime)
    worker.start(stop)
    try:
        assert worker.wait_ready()
        body = dumps(make_envelope("expenses", "expenses.claim.queried", _claim("queried")))
        expenses = Bus.from_settings(runtime.settings, "expenses")  # whose claims they are
        with expenses.connection() as connection:
            expenses.publish(connection.Producer(), body, "expenses.claim.queried", "x")
        dead = runtime.bus.queue_name("notifications", "claims") + ".dead"

        def depth():
            with runtime.bus.connection() as connection:
                return connection.default_channel.queue_declare(queue=dead, passive=True).message_count

        with caplog.at_level(logging.ERROR):
            wait_until(lambda: depth() == 1, message="the event in the dead-letter queue")
        lines = [r.getMessage() for r in caplog.records if "dead-lettered" in r.getMessage()]
        assert lines and "`reason`" in lines[0]
        assert "alex@example.org" not in caplog.text and "Alex Example" not in caplog.text
    finally:
        stop.set()
        worker.join(5)


def test_the_claim_received_email_gives_the_claim_reference(runtime, events):
    events.deliver("expenses.claim.submitted", _claim("submitted"))
    [message] = messages(runtime)
    assert "Your claim reference is 12." in message.text_body and "Your claim reference is 12." in message.html_body


TOKEN = "Claimant-token_abcdefghijklmnopqrstuvwxyz0"


@pytest.mark.parametrize(("language", "button"), [("en", "See your claim"), ("cy", "Gweld eich hawliad")])
def test_each_claim_email_links_to_the_claimants_own_page_for_the_claim(runtime, events, mail_server, language,
                                                                         button):
    events.booking(application_id=3, manage_token=TOKEN, language=language)
    events.deliver("expenses.claim.queried", _claim("queried", reason="Which station?", url=None, application_id=3,
                                                    language=language))
    [message] = messages(runtime, template="claim_queried")
    # stored masked, like every manage link
    assert TOKEN not in message.text_body + message.html_body
    assert "/expenses/manage/Cla\u2026/claims/12" in message.text_body
    drain(runtime)
    received = next(r for r in mail_server.received if "claim" in r.email.get_body(("plain",)).get_content())
    plain = received.email.get_body(("plain",)).get_content()
    html = received.email.get_body(("html",)).get_content()
    wanted = f"https://kx.example.org/expenses/manage/{TOKEN}/claims/12"
    assert wanted in plain and wanted in html and button in html
    assert (f"{wanted}?lang=cy" in plain) == (language == "cy")


def test_a_claim_email_for_someone_whose_link_is_unknown_still_goes_without_a_dead_link(runtime, events):
    events.deliver("expenses.claim.approved", _claim("approved", url=None, application_id=99))
    [message] = messages(runtime)
    assert "/manage/" not in message.text_body and message.link_of is None
