"""`registration.application.link_replaced`: the new link is emailed (masked in the stored copy,
working in the one that goes out), and every message still waiting goes with the new link."""

from __future__ import annotations

import hashlib

from shared.events import LINK_REPLACED, make_envelope
from shared.link_seal import seal

from .conftest import drain, messages

NEW = "New-token_abcdefghijklmnopqrstuvwxyz012345"


def _data(events, reason="requested", token=NEW, language="en") -> dict:
    return {"application_id": 1, "reason": reason, "manage_token_hash": hashlib.sha256(token.encode()).hexdigest(),
            "manage_token_sealed": seal(events.runtime.settings, token),
            "applicant": {"name": "Alex Example", "email": "alex@example.org", "language": language,
                          "participant_type": "experience"}}


def _replaced(events, **data):
    return events.deliver(LINK_REPLACED, _data(events, **data))


def _plain(received) -> str:
    return received.email.get_body(("plain",)).get_content()


def test_a_replaced_link_is_emailed_working_and_stored_masked(runtime, events, mail_server):
    _replaced(events)
    [message] = messages(runtime, template="new_link")
    assert NEW not in message.text_body + message.html_body and "/registration/manage/New\u2026" in message.text_body
    drain(runtime)
    [received] = mail_server.received
    assert received.email["Subject"] == "Your new link to your bookings"
    assert f"https://kx.example.org/registration/manage/{NEW}" in _plain(received)
    assert "The link we sent you before no longer works." in _plain(received)


def test_the_new_link_email_is_in_welsh_for_a_welsh_applicant(runtime, events, mail_server):
    _replaced(events, reason="replaced", language="cy")
    drain(runtime)
    [received] = mail_server.received
    assert received.email["Subject"] == "Eich dolen newydd i'ch archebion"
    assert f"/registration/manage/{NEW}" in _plain(received)


def test_a_message_waiting_when_the_link_is_replaced_goes_with_the_new_link(runtime, events, mail_server):
    events.booking("confirmed")  # its confirmation waits, with tok-1's link masked
    _replaced(events)
    drain(runtime)
    confirmation = next(r for r in mail_server.received if "confirmed" in r.email["Subject"])
    assert f"/registration/manage/{NEW}" in _plain(confirmation) and "manage/tok-1" not in _plain(confirmation)


def test_an_older_replacement_delivered_late_does_not_bring_back_its_link(runtime, events, mail_server):
    older = make_envelope("registration", LINK_REPLACED, _data(events, token="Old-token_abcdefghijklmnopqrstuvwxyz01234"))
    _replaced(events)
    older["time"] = "2020-01-01T00:00:00+00:00"
    events.deliver(LINK_REPLACED, older["data"], envelope=older)
    drain(runtime)
    assert len(mail_server.received) == 2
    assert all(f"/registration/manage/{NEW}" in _plain(r) for r in mail_server.received)
