"""Messages from the programme team to people: an exchange's confirmed participants or waiting
list, a theme's or the programme's participants, each in their own language, once, through the
send job (a real SMTP server), recorded in the delivery log and the audit log."""

from __future__ import annotations

import pytest

from services.notifications.models import Message
from shared.testing import staff_token

from .conftest import drain, exchange_data, messages

MESSAGE = {"subject": "Travel on Monday", "body": "Trains are on strike: please check before you travel.",
           "subject_cy": "Teithio ddydd Llun", "body_cy": "Mae'r trenau ar streic: gwiriwch cyn teithio."}


@pytest.fixture
def people(events):
    """Exchange 7 (theme T1): Alex (en) and Ffion (cy) confirmed, Kim waiting. Exchange 8 (theme T2):
    Sam confirmed, and Alex again."""
    events.deliver("registration.exchange.published", exchange_data(7))
    events.deliver("registration.exchange.published", {**exchange_data(8), "theme": "T2"})
    events.booking("confirmed", booking_id=1, application_id=1, email="alex@example.org")
    events.booking("confirmed", booking_id=2, application_id=2, email="ffion@example.org", language="cy",
                   manage_token="tok-2")
    events.booking("waitlisted", booking_id=3, application_id=3, email="kim@example.org", position=1,
                   manage_token="tok-3")
    events.booking("confirmed", booking_id=4, exchange_id=8, application_id=4, email="sam@example.org",
                   manage_token="tok-4")
    events.booking("confirmed", booking_id=5, exchange_id=8, application_id=1, email="Alex@example.org")


def _admin(runtime, roles=None):
    return {"Authorization": f"Bearer {staff_token(runtime.settings, roles or {'admin': []})}"}


def _sent(runtime) -> list[Message]:
    return messages(runtime, template="message_to_people")


@pytest.mark.parametrize(("audience", "who"), [
    ({"kind": "exchange_confirmed", "id": 7}, ["alex@example.org", "ffion@example.org"]),
    ({"kind": "exchange_waiting", "id": 7}, ["kim@example.org"]),
    ({"kind": "theme", "code": "T2"}, ["Alex@example.org", "sam@example.org"]),
    ({"kind": "programme"}, ["Alex@example.org", "ffion@example.org", "sam@example.org"]),
])
def test_a_message_goes_once_to_each_person_the_audience_names(runtime, client, people, audience, who):
    response = client.post("/notifications/api/messages", json={"audience": audience, **MESSAGE},
                           headers=_admin(runtime))
    assert response.status_code == 202, response.json
    assert response.json == {"messages_queued": len(who)}
    assert sorted(m.recipient for m in _sent(runtime)) == who


def test_the_preview_counts_the_people_and_their_languages_and_sends_nothing(runtime, client, people):
    response = client.post("/notifications/api/messages/preview", json={"kind": "exchange_confirmed", "id": 7},
                           headers=_admin(runtime))
    assert response.status_code == 200
    assert response.json == {"recipients": 2, "in_english": 1, "in_welsh": 1}
    assert _sent(runtime) == []


def test_each_person_reads_the_message_in_their_language_with_their_own_link(runtime, client, people, mail_server):
    client.post("/notifications/api/messages", json={"audience": {"kind": "exchange_confirmed", "id": 7}, **MESSAGE},
                headers=_admin(runtime))
    drain(runtime)
    received = {r.recipients[0]: r.email for r in mail_server.received if r.email["Subject"] in
                (MESSAGE["subject"], MESSAGE["subject_cy"])}
    assert received["alex@example.org"]["Subject"] == "Travel on Monday"
    english = received["alex@example.org"].get_body(("plain",)).get_content()
    assert "Trains are on strike" in english and "Dear Alex Example," in english
    assert "https://kx.example.org/registration/manage/tok-1" in english
    assert received["ffion@example.org"]["Subject"] == "Teithio ddydd Llun"
    welsh = received["ffion@example.org"].get_body(("plain",)).get_content()
    assert "Mae'r trenau ar streic" in welsh and "Trains" not in welsh
    assert "https://kx.example.org/registration/manage/tok-2" in welsh
    assert all(m.status == "sent" for m in _sent(runtime)), "recorded in the delivery log as sent"


def test_sending_the_same_message_again_reaches_only_people_who_have_not_had_it(runtime, client, events, people):
    body = {"audience": {"kind": "exchange_confirmed", "id": 7}, **MESSAGE}
    assert client.post("/notifications/api/messages", json=body, headers=_admin(runtime)).json["messages_queued"] == 2
    assert client.post("/notifications/api/messages", json=body, headers=_admin(runtime)).json["messages_queued"] == 0
    events.booking("promoted", booking_id=3, application_id=3, email="kim@example.org", manage_token=None)
    assert client.post("/notifications/api/messages", json=body, headers=_admin(runtime)).json["messages_queued"] == 1
    assert len(_sent(runtime)) == 3


@pytest.mark.parametrize(("body", "fields"), [
    ({"audience": {"kind": "exchange_confirmed", "id": 7}, **MESSAGE, "subject_cy": " "}, {"subject_cy"}),
    ({"audience": {"kind": "exchange_confirmed", "id": 7}, **MESSAGE, "body_cy": ""}, {"body_cy"}),
    ({"audience": {"kind": "exchange_confirmed"}, **MESSAGE}, {"audience.id"}),
    ({"audience": {"kind": "theme"}, **MESSAGE}, {"audience.code"}),
    ({"audience": {"kind": "everyone"}, **MESSAGE}, {"audience.kind"}),
    ({"audience": {"kind": "exchange_confirmed", "id": 99}, **MESSAGE}, {"audience.id"}),
    ({"audience": {"kind": "theme", "code": "T9"}, **MESSAGE}, {"audience.code"}),
    ({**MESSAGE, "body": "x" * 10001}, {"audience", "body"}),
])
def test_a_wrong_message_is_refused_field_by_field_and_sends_nothing(runtime, client, people, body, fields):
    response = client.post("/notifications/api/messages", json=body, headers=_admin(runtime))
    assert response.status_code == 422
    assert set(response.json["error"]["fields"]) == fields
    assert _sent(runtime) == []


def test_a_group_with_nobody_in_it_is_refused(runtime, client, events):
    events.deliver("registration.exchange.published", exchange_data(7))
    response = client.post("/notifications/api/messages",
                           json={"audience": {"kind": "exchange_waiting", "id": 7}, **MESSAGE}, headers=_admin(runtime))
    assert response.status_code == 422 and response.json["error"]["code"] == "no_recipients"


def test_only_the_programme_team_may_send_messages(runtime, client, people):
    body = {"audience": {"kind": "programme"}, **MESSAGE}
    assert client.post("/notifications/api/messages", json=body).status_code == 401
    for roles in ({"host": [7]}, {"theme_lead": ["T1"]}, {"finance": []}):
        assert client.post("/notifications/api/messages", json=body, headers=_admin(runtime, roles)).status_code == 403
    assert _sent(runtime) == []


def test_the_page_previews_the_message_then_sends_it_and_the_audit_log_keeps_it(runtime, client, people):
    headers = _admin(runtime)
    form = {"kind": "exchange_confirmed", "exchange_id": "7", **MESSAGE}
    page = client.get("/notifications/messages/new", headers=headers)
    assert page.status_code == 200 and "Crisis care in the community" in page.text
    preview = client.post("/notifications/messages/new", data={**form, "action": "preview"}, headers=headers)
    assert preview.status_code == 200
    assert "Check your message before sending it" in preview.text
    assert "1 in English, 1 in Welsh" in preview.text and "Teithio ddydd Llun" in preview.text
    assert _sent(runtime) == []
    sent = client.post("/notifications/messages/new", data={**form, "action": "send"}, headers=headers)
    assert sent.status_code == 302 and sent.location.endswith("/notifications/messages/new?sent=2")
    assert len(_sent(runtime)) == 2
    audit = client.get("/notifications/api/audit", headers=headers).json
    assert any(row["action"] == "message.sent" for row in (audit["items"] if isinstance(audit, dict) else audit))


def test_the_page_shows_every_error_at_once_without_internal_names(runtime, client, people):
    response = client.post("/notifications/messages/new", data={"kind": "theme", "action": "preview"},
                           headers=_admin(runtime))
    assert response.status_code == 422
    for message in ("Choose a theme from the list", "Enter a subject in English", "Enter a subject in Welsh",
                    "Enter the message in English", "Enter the message in Welsh"):
        assert message in response.text
    assert "audience" not in response.text and "body_cy:" not in response.text


def test_the_page_speaks_welsh(runtime, client, people):
    response = client.get("/notifications/messages/new", headers={**_admin(runtime), "Accept-Language": "cy"})
    assert response.status_code == 200 and "Anfon neges at bobl" in response.text and "Pwnc yn Gymraeg" in response.text


def test_the_senders_text_is_written_as_text_never_as_html(runtime, client, people):
    body = {"audience": {"kind": "exchange_waiting", "id": 7}, **MESSAGE, "body": "<b>Bring</b> <script>x()</script>"}
    client.post("/notifications/api/messages", json=body, headers=_admin(runtime))
    [message] = _sent(runtime)
    assert "<script>" not in message.html_body and "&lt;script&gt;" in message.html_body


def test_a_refusal_is_said_in_the_senders_language(runtime, client, people):
    response = client.post("/notifications/api/messages", json={"audience": {"kind": "programme"}},
                           headers={**_admin(runtime), "Accept-Language": "cy"})
    assert response.json["error"]["fields"]["body_cy"] == ["Rhowch y neges yn Gymraeg"]


def test_an_exchange_known_before_themes_were_kept_is_reached_once_registration_publishes_it_again(
        runtime, client, events):
    """Exchange 9 known only from a booking's brief, as every exchange projected before
    notifications_0009 is: no theme, so its theme cannot be chosen. `kx exchanges republish`
    (registration's republish_all) sends it again with its theme; then the message reaches its
    participant, and the exchange's unchanged times move no reminder."""
    events.booking("confirmed", booking_id=9, exchange_id=9, application_id=9, email="rhys@example.org",
                   manage_token="tok-9")
    theme = {"audience": {"kind": "theme", "code": "T3"}, **MESSAGE}
    refused = client.post("/notifications/api/messages", json=theme, headers=_admin(runtime))
    assert refused.status_code == 422 and "audience.code" in refused.json["error"]["fields"]
    before = len(messages(runtime))
    events.deliver("registration.exchange.updated", {**exchange_data(9), "theme": "T3"})
    assert len(messages(runtime)) == before, "nothing rescheduled or sent for an exchange that did not change"
    sent = client.post("/notifications/api/messages", json=theme, headers=_admin(runtime))
    assert sent.status_code == 202 and [m.recipient for m in _sent(runtime)] == ["rhys@example.org"]
