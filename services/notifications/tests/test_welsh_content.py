"""Messages to participants name what the programme team and hosts wrote in the participant's
language: in Welsh, the exchange's Welsh title and site, its town's Welsh name, and the host's
joining information in Welsh where they wrote it (CONTRACT.md "Content in Welsh and English")."""

from __future__ import annotations

from shared.testing import staff_token

from .conftest import exchange_brief, exchange_data, messages

WELSH_TITLE = "Gofal argyfwng yn y gymuned"
WELSH_SITE = "Ysbyty Cymuned Enghreifftiol"
ANNOUNCEMENT = {"contacts": "Jo, the host: 01234 567890", "timings": "Arrive 9:15am",
                "venue": "Main entrance", "access": "Step-free from the car park",
                "contacts_cy": "Jo, y gwesteiwr: 01234 567890", "timings_cy": "Cyrhaeddwch am 09:15",
                "venue_cy": "Y brif fynedfa", "access_cy": None}


def _welsh(data: dict) -> dict:
    return {**data, "title_cy": WELSH_TITLE,
            "location": {**data["location"], "site_cy": WELSH_SITE, "town": "Cardiff"}}


def _confirmed(events, booking_id: int, email: str, language: str, welsh: bool = True) -> None:
    """A booking confirmed, its brief carrying the exchange's Welsh as registration sends it."""
    events.deliver("registration.booking.confirmed", {
        "booking_id": booking_id, "exchange_id": 7, "application_id": booking_id, "waitlist_position": None,
        "applicant": {"name": "Alex Example", "email": email, "language": language, "participant_type": "experience"},
        "exchange": _welsh(exchange_brief()) if welsh else exchange_brief()})


def test_a_welsh_confirmation_names_the_exchange_its_site_and_town_in_welsh(runtime, events):
    events.deliver("registration.exchange.published", _welsh(exchange_data()))
    _confirmed(events, 1, "cymraeg@example.org", "cy")
    _confirmed(events, 2, "english@example.org", "en")
    [welsh] = messages(runtime, recipient="cymraeg@example.org")
    assert WELSH_TITLE in welsh.subject and WELSH_TITLE in welsh.text_body and WELSH_TITLE in welsh.html_body
    assert f"{WELSH_SITE}, Caerdydd" in welsh.text_body
    assert "Crisis care in the community" not in welsh.text_body + welsh.subject
    [english] = messages(runtime, recipient="english@example.org")
    assert "Crisis care in the community" in english.subject and "Example Community Hospital, Cardiff" in english.text_body
    assert WELSH_TITLE not in english.text_body


def test_a_booking_events_brief_brings_the_welsh_when_the_exchange_event_has_not_arrived(runtime, events):
    _confirmed(events, 5, "brief@example.org", "cy")
    [welsh] = messages(runtime, recipient="brief@example.org")
    assert WELSH_TITLE in welsh.subject


def test_an_exchange_without_welsh_is_named_in_english_in_a_welsh_message(runtime, events):
    events.deliver("registration.exchange.published", exchange_data())
    _confirmed(events, 1, "cymraeg@example.org", "cy", welsh=False)
    [welsh] = messages(runtime, recipient="cymraeg@example.org")
    assert "Crisis care in the community" in welsh.subject


def test_the_host_writes_joining_information_in_welsh_beside_the_english(runtime, client, events):
    events.deliver("registration.exchange.published", _welsh(exchange_data()))
    _confirmed(events, 1, "cymraeg@example.org", "cy")
    _confirmed(events, 2, "english@example.org", "en")
    headers = {"Authorization": f"Bearer {staff_token(runtime.settings, {'host': [7]})}"}
    saved = client.put("/notifications/api/exchanges/7/announcement", json=ANNOUNCEMENT, headers=headers)
    assert saved.status_code == 200 and saved.json["venue_cy"] == "Y brif fynedfa" and saved.json["access_cy"] is None
    [welsh] = messages(runtime, template="announcement", recipient="cymraeg@example.org")
    assert "Cyrhaeddwch am 09:15" in welsh.text_body and "Y brif fynedfa" in welsh.text_body
    assert "Arrive 9:15am" not in welsh.text_body
    assert "Step-free from the car park" in welsh.text_body, "no Welsh for access: the English is sent"
    assert WELSH_TITLE in welsh.subject
    [english] = messages(runtime, template="announcement", recipient="english@example.org")
    assert "Arrive 9:15am" in english.text_body and "Cyrhaeddwch" not in english.text_body
    page = client.get("/notifications/exchanges/7/announcement", headers=headers).get_data(as_text=True)
    assert 'name="timings_cy"' in page and 'lang="cy"' in page and "Cyrhaeddwch am 09:15" in page
    assert page.count('class="kx-bilingual"') == 4
