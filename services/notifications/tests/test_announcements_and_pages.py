"""Host announcements (page and API) and the staff pages: delivery log, message view, resend."""

from __future__ import annotations

import pytest

from shared.testing import staff_token

from .conftest import drain, exchange_data, messages

ANNOUNCEMENT = {"contacts": "Jo, the host: 01234 567890", "timings": "Arrive 9:15am; finish 3:30pm",
                "venue": "Main entrance, ask at reception", "access": "Step-free from the car park; hearing loop"}


@pytest.fixture
def with_participants(events):
    events.deliver("registration.exchange.published", exchange_data())
    events.booking("confirmed", booking_id=1, application_id=1, email="alex@example.org")
    events.booking("confirmed", booking_id=2, application_id=2, email="sam@example.org",
                   manage_token="tok-2")
    events.booking("waitlisted", booking_id=3, application_id=3, email="kim@example.org", position=1,
                   manage_token="tok-3")


def _auth(runtime, roles):
    return {"Authorization": f"Bearer {staff_token(runtime.settings, roles)}"}


def test_a_hosts_announcement_goes_to_every_confirmed_participant_and_to_anyone_confirmed_later(
        runtime, client, events, with_participants, mail_server):
    response = client.put("/notifications/api/exchanges/7/announcement", json=ANNOUNCEMENT,
                          headers=_auth(runtime, {"host": [7]}))
    assert response.status_code == 200, response.json
    assert response.json["messages_queued"] == 2 and response.json["version"] == 1
    sent = messages(runtime, template="announcement")
    assert sorted(m.recipient for m in sent) == ["alex@example.org", "sam@example.org"]
    assert "Step-free from the car park" in sent[0].text_body
    assert sent[0].subject == "Joining information: Crisis care in the community"

    events.booking("promoted", booking_id=3, application_id=3, email="kim@example.org", manage_token=None)
    later = messages(runtime, template="announcement", recipient="kim@example.org")
    assert len(later) == 1 and "https://kx.example.org/registration/manage/tok…" in later[0].text_body, "masked"
    drain(runtime)
    assert len(mail_server.received) == 3 + 2 + 2  # booking messages, announcements, promotion + its announcement
    [received] = [r for r in mail_server.received if r.recipients == ["kim@example.org"]
                  and "Joining information" in r.email["Subject"]]
    assert "https://kx.example.org/registration/manage/tok-3" in received.email.get_body(("plain",)).get_content()


def test_editing_the_announcement_sends_updated_joining_information_and_unchanged_text_sends_nothing(
        runtime, client, events, with_participants):
    headers = _auth(runtime, {"host": [7]})
    client.put("/notifications/api/exchanges/7/announcement", json=ANNOUNCEMENT, headers=headers)
    again = client.put("/notifications/api/exchanges/7/announcement", json=ANNOUNCEMENT, headers=headers)
    assert again.json["messages_queued"] == 0
    edited = client.put("/notifications/api/exchanges/7/announcement",
                        json={**ANNOUNCEMENT, "timings": "Arrive 10am"}, headers=headers)
    assert edited.json["version"] == 2 and edited.json["messages_queued"] == 2
    [update, _] = messages(runtime, template="announcement_updated")
    assert update.subject == "Updated joining information: Crisis care in the community"
    assert "Arrive 10am" in update.text_body and "replaces the one we sent before" in update.text_body


def test_only_the_exchanges_host_or_an_admin_may_write_its_announcement(runtime, client, with_participants):
    url = "/notifications/api/exchanges/7/announcement"
    assert client.put(url, json=ANNOUNCEMENT).status_code == 401
    assert client.put(url, json=ANNOUNCEMENT, headers=_auth(runtime, {"host": [8]})).status_code == 403
    # no role implies another: finance and a lead, even together, are not the host
    every_other = _auth(runtime, {"finance": [], "theme_lead": ["T1"], "host": [8]})
    assert client.put(url, json=ANNOUNCEMENT, headers=every_other).status_code == 403
    assert client.get("/notifications/exchanges/7/announcement", headers=every_other).status_code == 403
    assert client.get("/notifications/api/messages?to=alex@example.org", headers=every_other).status_code == 403
    assert client.get("/notifications/", headers=every_other).status_code == 403
    assert client.put(url, json=ANNOUNCEMENT, headers=_auth(runtime, {"admin": []})).status_code == 200
    assert client.get(url, headers=_auth(runtime, {"host": [7]})).json["venue"] == ANNOUNCEMENT["venue"]
    unknown = client.put("/notifications/api/exchanges/99/announcement", json=ANNOUNCEMENT,
                         headers=_auth(runtime, {"admin": []}))
    assert unknown.status_code == 404


def test_an_incomplete_announcement_is_refused_with_the_fields_named(runtime, client, with_participants):
    response = client.put("/notifications/api/exchanges/7/announcement", json={**ANNOUNCEMENT, "access": ""},
                          headers=_auth(runtime, {"host": [7]}))
    assert response.status_code == 422
    assert response.json["error"]["fields"] == {"access": ["Enter the venue's access information"]}
    assert client.put("/notifications/api/exchanges/7/announcement", data="[",
                      headers=_auth(runtime, {"host": [7]})).status_code == 400


def test_the_announcement_page_saves_and_sends(runtime, client, with_participants):
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(runtime.settings, {"host": [7]})
    page = client.get("/notifications/exchanges/7/announcement")
    assert page.status_code == 200 and b"Access information" in page.data
    missing = client.post("/notifications/exchanges/7/announcement", data={**ANNOUNCEMENT, "venue": ""})
    assert missing.status_code == 422 and b"There is a problem" in missing.data
    saved = client.post("/notifications/exchanges/7/announcement", data=ANNOUNCEMENT, follow_redirects=True)
    assert b"It is being sent to 2 confirmed participants" in saved.data
    assert len(messages(runtime, template="announcement")) == 2


def test_the_messages_api_lists_one_recipients_messages_as_the_contract_says(runtime, client, events, mail_server):
    events.booking("confirmed", email="Alex@Example.org")
    events.booking("confirmed", booking_id=2, application_id=2, email="sam@example.org")
    drain(runtime)
    response = client.get("/notifications/api/messages?to=alex@example.org", headers=_auth(runtime, {"admin": []}))
    assert response.status_code == 200
    [row] = response.json
    assert set(row) == {"id", "to", "subject", "template", "language", "status", "event_id", "created_at",
                        "sent_at", "attachments"}
    assert row["to"] == "Alex@Example.org" and row["status"] == "sent" and row["template"] == "confirmation"
    assert row["attachments"] == [{"filename": "knowledge-exchange.ics", "content_type": "text/calendar"}]
    assert row["sent_at"].endswith("+00:00")


def test_the_messages_api_is_for_admins_only(runtime, client):
    assert client.get("/notifications/api/messages?to=a@example.org").status_code == 401
    assert client.get("/notifications/api/messages?to=a@example.org",
                      headers=_auth(runtime, {"host": [7]})).status_code == 403
    assert client.get("/notifications/api/messages", headers=_auth(runtime, {"admin": []})).status_code == 422


def test_the_delivery_log_searches_by_recipient_and_shows_a_message_without_running_its_html(
        runtime, client, events):
    events.booking("confirmed", email="alex@example.org")
    events.booking("confirmed", booking_id=2, application_id=2, email="sam@example.org")
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(runtime.settings, {"admin": []})
    log = client.get("/notifications/?to=sam@")
    assert b"sam@example.org" in log.data and b"alex@example.org" not in log.data
    message = messages(runtime, recipient="sam@example.org")[0]
    page = client.get(f"/notifications/messages/{message.id}")
    assert page.status_code == 200
    assert b'sandbox=""' in page.data
    assert b"<!doctype html>" not in page.data.split(b"<iframe", 1)[1], "the HTML part is escaped into srcdoc"
    assert message.message_id_header.encode().replace(b"<", b"&lt;").replace(b">", b"&gt;") in page.data


def test_resend_creates_a_new_message_and_keeps_the_old_one(runtime, client, events, mail_server):
    events.booking("confirmed")
    drain(runtime)
    [original] = messages(runtime)
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(runtime.settings, {"admin": []})
    response = client.post(f"/notifications/messages/{original.id}/resend")
    assert response.status_code == 302
    old, copy = messages(runtime)
    assert old.status == "sent" and copy.status == "pending" and copy.resend_of == old.id
    assert copy.message_id_header != old.message_id_header
    drain(runtime)
    assert len(mail_server.received) == 2
    assert len(list(mail_server.received[1].email.iter_attachments())) == 1


def test_staff_pages_send_a_signed_out_person_to_sign_in_and_need_an_admin(runtime, client):
    signed_out = client.get("/notifications/?to=someone")
    assert signed_out.status_code == 302
    assert signed_out.headers["Location"] == "/registration/login?next=%2Fnotifications%2F%3Fto%3Dsomeone"
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(runtime.settings, {"finance": []})
    assert client.get("/notifications/").status_code == 403
