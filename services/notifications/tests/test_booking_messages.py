"""Booking events become the right messages, with the right parts, once."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar
from sqlalchemy import select

from services.notifications.models import Message

from .conftest import EXCHANGE_STARTS, drain, messages

LONDON = ZoneInfo("Europe/London")


def _parts(received):
    return {part.get_content_type(): part for part in received.email.walk() if not part.is_multipart()}


def test_a_confirmation_has_plain_text_html_and_a_calendar_of_the_three_sessions_in_london_time(
        runtime, events, mail_server):
    events.booking("confirmed")
    assert drain(runtime) == 1

    [received] = mail_server.received
    assert received.recipients == ["alex@example.org"]
    email = received.email
    assert email["Subject"] == "Your place is confirmed: Crisis care in the community"
    assert email["Message-ID"] == messages(runtime)[0].message_id_header
    assert email["Date"]
    parts = _parts(received)
    assert set(parts) == {"text/plain", "text/html", "text/calendar"}
    text = parts["text/plain"].get_content()
    assert "Monday 10 June 2030 at 9:30am to 3:30pm" in text, "08:30 UTC is 9:30am in London in June"
    assert "https://kx.example.org/registration/manage/tok-1" in text
    assert "https://meet.example.org/orientation-7" in text
    assert "Crisis care in the community" in parts["text/html"].get_content()

    calendar = Calendar.from_ical(parts["text/calendar"].get_payload(decode=True))
    events_by_uid = {str(e["uid"]): e for e in calendar.walk("VEVENT")}
    assert set(events_by_uid) == {f"booking-1-{stage}@kx.invalid" for stage in ("exchange", "orientation", "reflection")}
    exchange = events_by_uid["booking-1-exchange@kx.invalid"]
    starts = exchange.decoded("dtstart")
    assert starts == EXCHANGE_STARTS and starts.astimezone(LONDON).hour == 9
    assert str(exchange["dtstart"].params["TZID"]) == "Europe/London"
    assert exchange.decoded("dtend") == EXCHANGE_STARTS + timedelta(hours=6)
    orientation = events_by_uid["booking-1-orientation@kx.invalid"]
    assert orientation.decoded("dtstart") == EXCHANGE_STARTS - timedelta(days=14)
    assert str(orientation["url"]) == "https://meet.example.org/orientation-7"
    assert str(events_by_uid["booking-1-reflection@kx.invalid"]["url"]) == "https://meet.example.org/reflection-7"


def test_the_calendar_uids_are_stable_per_booking(runtime, events, mail_server):
    events.booking("confirmed", booking_id=5)
    events.booking("confirmed", booking_id=5)  # a second event about the same booking (a new id)
    drain(runtime)
    uids = [sorted(str(e["uid"]) for e in Calendar.from_ical(
        _parts(r)["text/calendar"].get_payload(decode=True)).walk("VEVENT")) for r in mail_server.received]
    assert len(uids) == 2 and uids[0] == uids[1]


def test_a_waiting_list_message_gives_the_position_and_no_calendar(runtime, events, mail_server):
    events.booking("waitlisted", position=3)
    drain(runtime)
    [received] = mail_server.received
    assert received.email["Subject"] == "You are on the waiting list: Crisis care in the community"
    parts = _parts(received)
    assert set(parts) == {"text/plain", "text/html"}
    assert "You are number 3 on the waiting list." in parts["text/plain"].get_content()
    assert "please do not travel" in parts["text/plain"].get_content()


def test_a_promotion_carries_the_manage_link_remembered_from_the_application_and_a_calendar(
        runtime, events, mail_server):
    events.booking("waitlisted", position=1)
    events.booking("promoted", manage_token=None)  # raised by someone else's cancellation: no link on it
    drain(runtime)
    promoted = mail_server.received[1]
    assert promoted.email["Subject"] == "A place has come up for you: Crisis care in the community"
    parts = _parts(promoted)
    assert "text/calendar" in parts
    assert "https://kx.example.org/registration/manage/tok-1" in parts["text/plain"].get_content()


def test_a_cancellation_is_confirmed_in_plain_words(runtime, events, mail_server):
    events.booking("confirmed")
    events.booking("cancelled", manage_token=None)
    drain(runtime)
    cancelled = mail_server.received[1].email
    assert cancelled["Subject"] == "Your booking is cancelled: Crisis care in the community"
    assert "is now cancelled" in _parts(mail_server.received[1])["text/plain"].get_content()


def test_a_redelivered_event_sends_nothing_new(runtime, events, mail_server):
    envelope = events.booking("confirmed")
    drain(runtime)
    events.deliver("registration.booking.confirmed", envelope["data"], envelope=envelope)
    events.deliver("registration.booking.confirmed", envelope["data"], envelope=envelope)
    assert drain(runtime) == 0
    assert len(messages(runtime)) == 1 and len(mail_server.received) == 1


def test_a_confirmation_handled_after_its_cancellation_sends_nothing(runtime, events, mail_server):
    from shared.events import make_envelope

    confirmed = make_envelope("registration", "registration.booking.confirmed", {
        "booking_id": 1, "exchange_id": 7, "application_id": 1, "waitlist_position": None,
        "applicant": {"name": "Alex Example", "email": "alex@example.org", "language": "en",
                      "participant_type": "occupation"}})
    events.booking("cancelled")  # newer, handled first (another worker took it)
    confirmed["time"] = (datetime.fromisoformat(confirmed["time"]) - timedelta(seconds=5)).isoformat()
    events.deliver("registration.booking.confirmed", confirmed["data"], envelope=confirmed)
    assert [m.template for m in messages(runtime)] == ["cancelled"]


def test_messages_are_written_in_the_language_the_applicant_chose(runtime, events):
    events.booking("confirmed", language="cy")
    [message] = messages(runtime)
    assert message.language == "cy"
    assert message.html_body.startswith("<!doctype html>\n<html lang=\"cy\">")


def test_a_name_cannot_inject_html_or_headers(runtime, events, mail_server):
    from shared.events import make_envelope

    envelope = make_envelope("registration", "registration.booking.confirmed", {
        "booking_id": 9, "exchange_id": 7, "application_id": 9, "waitlist_position": None,
        "applicant": {"name": "<script>alert(1)</script>", "email": "sam@example.org", "language": "en",
                      "participant_type": "occupation"},
        "exchange": {**__import__("services.notifications.tests.conftest", fromlist=["x"]).exchange_brief(),
                     "title": "Line one\r\nBcc: victim@example.org"}})
    events.deliver("registration.booking.confirmed", envelope["data"], envelope=envelope)
    drain(runtime)
    [message] = messages(runtime)
    assert "<script>" not in message.html_body and "&lt;script&gt;" in message.html_body
    assert "\n" not in message.subject
    assert mail_server.received[0].recipients == ["sam@example.org"]
    assert mail_server.received[0].email["Bcc"] is None


def test_booking_events_handled_in_one_batch_have_the_same_effects_as_one_by_one(runtime, events):
    from services.notifications.models import Booking, Exchange, ManageLink, Reminder

    with events.in_one_batch():
        # a new exchange and a new application; one person's bookings confirmed (and said again),
        # waitlisted then promoted, confirmed then cancelled, each pair with nothing written between
        events.booking("confirmed", booking_id=1, exchange_id=7, application_id=1)
        events.booking("confirmed", booking_id=1, exchange_id=7, application_id=1)
        events.booking("waitlisted", booking_id=3, exchange_id=9, application_id=1, position=2)
        events.booking("promoted", booking_id=3, exchange_id=9, application_id=1)
        events.booking("confirmed", booking_id=2, exchange_id=8, application_id=1)
        events.booking("cancelled", booking_id=2, exchange_id=8, application_id=1)
    with runtime.session() as session:
        assert session.scalars(select(Exchange.id).order_by(Exchange.id)).all() == [7, 8, 9]
        assert [(b.id, b.status) for b in session.scalars(select(Booking).order_by(Booking.id))] == [
            (1, "confirmed"), (2, "cancelled"), (3, "confirmed")]
        assert len(session.scalars(select(ManageLink)).all()) == 1
        reminders = session.scalars(select(Reminder)).all()
        per_booking = {b: sorted((r.kind, r.offset_minutes) for r in reminders if r.booking_id == b and r.status == "scheduled")
                       for b in (1, 2, 3)}
        assert per_booking[2] == [] and per_booking[1] and per_booking[1] == per_booking[3]
    assert [m.template for m in messages(runtime)] == [
        "confirmation", "confirmation", "waitlisted", "promoted", "confirmation", "cancelled"]


def test_the_manage_link_is_stored_masked_and_sent_working_and_a_legacy_clear_token_is_kept_only_sealed(
        runtime, events, mail_server):
    from services.notifications.models import Attachment, ManageLink

    events.booking("confirmed", manage_token="Legacy-token_1", legacy=True)  # published before links were sealed
    events.booking("confirmed", booking_id=2, application_id=2, email="sam@example.org", manage_token="Sealed-token_2")
    drain(runtime)
    with runtime.session() as session:
        stored = [(m.text_body + m.html_body, m.link_of) for m in session.scalars(select(Message).order_by(Message.id))]
        calendars = b"".join(a.content for a in session.scalars(select(Attachment)))
        links = {row.application_id: (row.sealed, row.hint) for row in session.scalars(select(ManageLink))}
    for (body, link_of), token in zip(stored, ("Legacy-token_1", "Sealed-token_2"), strict=True):
        assert token not in body and f"/registration/manage/{token[:3]}\u2026" in body and link_of is not None
    assert b"-token_" not in calendars.replace(b"\r\n ", b"")
    assert {k: (token not in sealed, hint) for k, (sealed, hint) in links.items()} == {1: (True, "Leg"), 2: (True, "Sea")}
    for received, token in zip(mail_server.received, ("Legacy-token_1", "Sealed-token_2"), strict=True):
        assert f"https://kx.example.org/registration/manage/{token}" in _parts(received)["text/plain"].get_content()
        assert f"/registration/manage/{token}" in _parts(received)["text/calendar"].get_content().replace("\r\n ", "")


def test_a_message_whose_link_can_no_longer_be_opened_fails_rather_than_go_with_a_dead_link(
        runtime, events, mail_server):
    from services.notifications.models import ManageLink

    events.booking("confirmed")
    with runtime.session() as session, session.begin():
        session.get(ManageLink, 1).sealed = "not-a-seal"
    drain(runtime)
    [message] = messages(runtime)
    assert mail_server.received == [] and message.status == "failed"
    assert message.error == "its manage link can no longer be opened"


def test_a_cancellation_carries_a_calendar_that_withdraws_the_same_entries_with_a_higher_sequence(
        runtime, events, mail_server):
    events.booking("confirmed")
    events.booking("cancelled", manage_token=None)
    drain(runtime)
    confirmed, cancelled = (Calendar.from_ical(_parts(r)["text/calendar"].get_payload(decode=True))
                            for r in mail_server.received)
    assert str(confirmed["method"]) == "PUBLISH" and str(cancelled["method"]) == "CANCEL"
    added = {str(e["uid"]): int(e["sequence"]) for e in confirmed.walk("VEVENT")}
    withdrawn = {str(e["uid"]): int(e["sequence"]) for e in cancelled.walk("VEVENT")}
    assert set(withdrawn) == set(added) and len(added) == 3
    assert all(withdrawn[uid] > added[uid] for uid in added)
    assert {str(e["status"]) for e in cancelled.walk("VEVENT")} == {"CANCELLED"}
    assert "manage/" not in _parts(mail_server.received[1])["text/calendar"].get_payload(decode=True).decode()


def test_replies_to_a_message_go_to_the_programme_team(runtime, events, mail_server):
    events.booking("confirmed")
    drain(runtime)
    assert "knowledge-exchange@example.org" in mail_server.received[0].email["Reply-To"]


def test_the_links_in_a_welsh_message_open_welsh_pages(runtime, events, mail_server):
    events.booking("confirmed", language="cy")
    drain(runtime)
    parts = _parts(mail_server.received[0])
    assert "https://kx.example.org/registration/manage/tok-1?lang=cy" in parts["text/plain"].get_content()
    assert "https://kx.example.org/registration/manage/tok-1?lang=cy" in parts["text/html"].get_content()
    calendar = parts["text/calendar"].get_payload(decode=True).decode().replace("\r\n ", "")
    assert "https://kx.example.org/registration/manage/tok-1?lang=cy" in calendar
    assert "https://meet.example.org/orientation-7?" not in parts["text/plain"].get_content(), "only kx's own links"


def test_the_links_in_an_english_message_are_left_as_they_are(runtime, events, mail_server):
    events.booking("confirmed")
    drain(runtime)
    assert "lang=" not in _parts(mail_server.received[0])["text/plain"].get_content()
