"""Delivery: retried on 4xx and lost connections, failed with the reason on 5xx and bad
addresses, never blocking the queue; `.eml` files without a mail server; a claim held by a live
worker is never taken, a dead worker's is."""

from __future__ import annotations

import email
import email.policy
from datetime import timedelta

from sqlalchemy import select

from services.notifications.models import Message
from services.notifications.operations.sending import send_due
from shared.testing import free_port

from .conftest import Clock, Events, MailHandler, MailServer, drain, make_runtime, messages


def _outbox_types(runtime):
    outbox = runtime.service.outbox
    with runtime.session() as session:
        return list(session.scalars(select(outbox.type).order_by(outbox.id)))


def test_a_4xx_answer_is_retried_with_back_off_until_the_server_accepts(tmp_path, clock):
    with MailServer(MailHandler(refuse_data="451 4.3.0 Try again later", times=2)) as server:
        runtime = make_runtime(tmp_path, KX_SMTP_URL=server.url)
        Events(runtime).booking("confirmed")

        assert send_due(runtime, clock) == 1
        [message] = messages(runtime)
        assert (message.status, message.attempts) == ("pending", 1)
        assert message.error == "refused: 451 4.3.0 Try again later"
        assert message.next_attempt_at - clock.now == timedelta(seconds=1)
        assert send_due(runtime, clock) == 0, "not before its time"

        clock.advance(seconds=1)
        send_due(runtime, clock)
        assert messages(runtime)[0].next_attempt_at - clock.now == timedelta(seconds=2), "the wait doubles"
        clock.advance(seconds=2)
        send_due(runtime, clock)

        [message] = messages(runtime)
        assert (message.status, message.attempts, message.error) == ("sent", 3, None)
        assert message.sent_at == clock.now
        assert len(server.received) == 1
        assert _outbox_types(runtime) == ["notifications.message.sent"]
        runtime.dispose()


def test_a_5xx_answer_marks_the_message_failed_with_the_reason(tmp_path, clock):
    with MailServer(MailHandler(refuse_data="554 5.7.1 Message rejected", times=1)) as server:
        runtime = make_runtime(tmp_path, KX_SMTP_URL=server.url)
        Events(runtime).booking("confirmed")
        send_due(runtime, clock)
        clock.advance(hours=1)
        assert send_due(runtime, clock) == 0, "a failed message is never tried again"
        [message] = messages(runtime)
        assert (message.status, message.error) == ("failed", "refused: 554 5.7.1 Message rejected")
        assert message.sent_at is None
        assert _outbox_types(runtime) == ["notifications.message.failed"]
        runtime.dispose()


def test_a_refused_recipient_fails_that_message_and_the_next_one_is_sent(tmp_path, clock):
    handler = MailHandler(refuse_recipients={"gone@example.org": "550 5.1.1 No such user"})
    with MailServer(handler) as server:
        runtime = make_runtime(tmp_path, KX_SMTP_URL=server.url)
        events = Events(runtime)
        events.booking("confirmed", booking_id=1, application_id=1, email="gone@example.org")
        events.booking("confirmed", booking_id=2, application_id=2, email="sam@example.org")
        drain(runtime, clock)
        first, second = messages(runtime)
        assert (first.status, first.error) == ("failed", "recipient refused: 550 5.1.1 No such user")
        assert second.status == "sent"
        assert [r.recipients for r in server.received] == [["sam@example.org"]]
        runtime.dispose()


def test_a_malformed_address_fails_without_reaching_the_server_or_blocking_the_queue(runtime, mail_server, clock):
    events = Events(runtime)
    events.booking("confirmed", booking_id=1, application_id=1, email="alex@example.org")
    # Events are checked by their schema, so a malformed address can only come from a row written
    # another way (an older schema, a hand-made fix); it must still fail alone and not block.
    with runtime.session() as session, session.begin():
        session.scalars(select(Message)).one().recipient = "alex@@example..org"
    events.booking("confirmed", booking_id=2, application_id=2, email="sam@example.org")
    drain(runtime, clock)
    first, second = messages(runtime)
    assert (first.status, first.error) == ("failed", "invalid address")
    assert second.status == "sent"
    assert len(mail_server.received) == 1


def test_a_server_that_cannot_be_reached_is_a_temporary_failure(tmp_path, clock):
    runtime = make_runtime(tmp_path, KX_SMTP_URL=f"smtp://127.0.0.1:{free_port()}")
    Events(runtime).booking("confirmed")
    send_due(runtime, clock)
    [message] = messages(runtime)
    assert (message.status, message.error) == ("pending", "connection: ConnectionRefusedError")
    runtime.dispose()


def test_a_message_that_keeps_failing_temporarily_is_given_up_after_the_configured_attempts(tmp_path, clock):
    runtime = make_runtime(tmp_path, KX_SMTP_URL=f"smtp://127.0.0.1:{free_port()}", KX_MAIL_MAX_ATTEMPTS="3")
    Events(runtime).booking("confirmed")
    for _ in range(5):
        send_due(runtime, clock)
        clock.advance(hours=1)
    [message] = messages(runtime)
    assert (message.status, message.attempts) == ("failed", 3)
    assert message.error == "gave up after 3 attempts: connection: ConnectionRefusedError"
    runtime.dispose()


def test_without_a_mail_server_messages_are_written_as_eml_files_and_marked_sent(tmp_path, clock):
    runtime = make_runtime(tmp_path)
    Events(runtime).booking("confirmed")
    assert send_due(runtime, clock) == 1
    [message] = messages(runtime)
    assert message.status == "sent"
    [file] = (runtime.settings.var_dir / "mail").glob("*.eml")
    parsed = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
    assert parsed["Message-ID"] == message.message_id_header
    assert parsed["To"] == "alex@example.org"
    assert {p.get_content_type() for p in parsed.walk()} >= {"text/plain", "text/html", "text/calendar"}
    runtime.dispose()


def test_a_message_claimed_by_a_live_worker_is_not_taken_by_another(runtime, events, mail_server, clock):
    from services.notifications.operations.sending import _claim

    events.booking("confirmed")
    claimed, _tokens = _claim(runtime, clock.now, clock.now + timedelta(minutes=5))
    assert len(claimed) == 1
    assert send_due(runtime, Clock(clock.now + timedelta(minutes=4))) == 0
    assert mail_server.received == []


def test_a_dead_workers_claim_runs_out_and_the_message_is_sent_once(runtime, events, mail_server, clock):
    from services.notifications.operations.sending import _claim

    events.booking("confirmed")
    _claim(runtime, clock.now, clock.now + timedelta(minutes=5))  # ...and the worker dies
    clock.advance(minutes=6)
    assert send_due(runtime, clock) == 1
    clock.advance(minutes=6)
    assert send_due(runtime, clock) == 0
    assert len(mail_server.received) == 1
    assert messages(runtime)[0].status == "sent"


def test_a_job_that_fails_while_marking_gives_its_batch_back_at_once(runtime, events, mail_server, clock, monkeypatch):
    from services.notifications.operations import sending

    events.booking("confirmed")
    record = sending._record

    def database_gone(*args, **kwargs):
        raise ConnectionError("the database went away")

    monkeypatch.setattr(sending, "_record", database_gone)
    try:
        send_due(runtime, clock)
    except ConnectionError:
        pass
    else:
        raise AssertionError("the job should have failed")
    assert messages(runtime)[0].claimed_until is None  # not left leased for KX_MAIL_LEASE
    monkeypatch.setattr(sending, "_record", record)
    assert send_due(runtime, clock) == 1  # at once, no lease to wait out
    assert messages(runtime)[0].status == "sent"
    # the server had accepted the first copy: the second carries the same Message-ID
    ids = {m.email["Message-ID"] for m in mail_server.received}
    assert len(mail_server.received) == 2 and len(ids) == 1
