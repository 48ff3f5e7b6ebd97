"""A booking the programme team cancelled or moved for the person: they are told so, with the
reason given, in their own language; the usual cancellation wording is not used."""

from __future__ import annotations

from datetime import timedelta

import pytest

from .conftest import EXCHANGE_STARTS, drain, exchange_brief


def _parts(received):
    return {part.get_content_type(): part for part in received.email.walk() if not part.is_multipart()}


def _cancelled_by_team(events, runtime, language="en", moved_to=None):
    events.booking("confirmed", language=language)
    data = {"booking_id": 1, "exchange_id": 7, "application_id": 1,
            "applicant": {"name": "Alex Example", "email": "alex@example.org", "language": language,
                          "participant_type": "experience"},
            "waitlist_position": None, "exchange": exchange_brief(), "reason": "Phoned: a clash with work",
            "moved_to": moved_to, "manage_token_sealed": None}
    events.deliver("registration.booking.cancelled", data)
    drain(runtime)


def test_a_cancellation_by_the_team_gives_the_reason_and_keeps_the_link(runtime, events, mail_server):
    _cancelled_by_team(events, runtime)
    received = mail_server.received[1]
    assert received.email["Subject"] == "Your booking is cancelled: Crisis care in the community"
    text = _parts(received)["text/plain"].get_content()
    assert "The programme team has cancelled your booking" in text
    assert "The reason given: Phoned: a clash with work" in text
    assert "Thank you for letting us know" not in text
    assert "https://kx.example.org/registration/manage/tok-1" in text


@pytest.mark.parametrize("language, subject, words", [
    ("en", "Your booking has been moved: Crisis care in the community", "has been moved to Second exchange"),
    ("cy", "Mae eich archeb wedi'i symud: Crisis care in the community", "wedi'i symud i Second exchange")])
def test_a_move_names_the_new_exchange_in_the_persons_language(runtime, events, mail_server, language, subject,
                                                               words):
    moved_to = exchange_brief(EXCHANGE_STARTS + timedelta(days=21)) | {"title": "Second exchange"}
    _cancelled_by_team(events, runtime, language, moved_to)
    received = mail_server.received[1]
    assert received.email["Subject"] == subject
    assert words in _parts(received)["text/plain"].get_content()
    assert words.split(" ")[-2] in _parts(received)["text/html"].get_content()


