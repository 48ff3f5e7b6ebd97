"""One application, one email: its bookings together, one calendar file for its confirmed places,
a waiting list place stated in the same email (issue 15)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from icalendar import Calendar

from shared.link_seal import seal
from shared.manage_tokens import token_hash

from .conftest import EXCHANGE_STARTS, drain, exchange_brief, messages


def _application(events, bookings, *, language="en", token="tok-1", **extra):
    data = {
        "application_id": 1,
        "applicant": {"name": "Alex Example", "email": "alex@example.org", "language": language,
                      "participant_type": "experience"},
        "bookings": [{"booking_id": booking_id, "exchange_id": exchange_id, "status": status,
                      "waitlist_position": position,
                      "exchange": {**exchange_brief(EXCHANGE_STARTS + timedelta(days=exchange_id)),
                                   "title": f"Exchange {exchange_id}"}}
                     for booking_id, exchange_id, status, position in bookings],
        "manage_token_sealed": seal(events.runtime.settings, token), "manage_token_hash": token_hash(token),
        **extra,
    }
    return events.deliver("registration.application.submitted", data)


def _booked(events, booking_id, exchange_id, status, position=None):
    events.booking(status, booking_id=booking_id, exchange_id=exchange_id, position=position)


def _told_in_application(events, *bookings):
    """The application's own booking events, as registration sends them: they say the
    application's email tells the person."""
    original = events.deliver

    def deliver(kind, data):
        return original(kind, {**data, "told_in_application": True})

    events.deliver = deliver
    try:
        for booking in bookings:
            _booked(events, *booking)
    finally:
        events.deliver = original


@pytest.mark.parametrize("language, subject", [("en", "Your knowledge exchange application"),
                                               ("cy", "Eich cais am gyfnewid gwybodaeth")])
def test_one_application_for_three_exchanges_sends_one_email_with_one_calendar(runtime, events, mail_server,
                                                                                language, subject):
    bookings = [(11, 1, "confirmed", None), (12, 2, "confirmed", None), (13, 3, "waitlisted", 2)]
    _told_in_application(events, *[(b, e, s, p) for b, e, s, p in bookings])
    _application(events, bookings, language=language)
    assert drain(runtime) == 1
    [received] = mail_server.received
    assert received.email["Subject"] == subject
    parts = {p.get_content_type(): p for p in received.email.walk() if not p.is_multipart()}
    text = parts["text/plain"].get_content()
    assert all(f"Exchange {n}" in text for n in (1, 2, 3))
    assert ("number 2 on the waiting list" if language == "en" else "rhif 2 ar y rhestr aros") in text
    assert "https://kx.example.org/registration/manage/tok-1" in text
    uids = {str(e["uid"]) for e in Calendar.from_ical(parts["text/calendar"].get_payload(decode=True)).walk("VEVENT")}
    assert {uid.split("-")[1] for uid in uids} == {"11", "12"}, "the waiting list place is not in the calendar"
    assert [m.template for m in messages(runtime)] == ["application"]


@pytest.mark.parametrize("language, says", [
    ("en", "You have applied before with this email address"),
    ("cy", "Rydych wedi gwneud cais o'r blaen gyda'r cyfeiriad e-bost hwn")])
@pytest.mark.parametrize("bookings", [[(21, 2, "confirmed", None)],
                                      [(21, 2, "confirmed", None), (22, 3, "waitlisted", 1)]])
def test_an_application_that_joined_by_email_says_its_link_is_the_new_one_for_all_bookings(
        runtime, events, mail_server, language, says, bookings):
    _told_in_application(events, (11, 1, "confirmed"))
    _application(events, [(11, 1, "confirmed", None)], language=language, token="tok-0")
    _told_in_application(events, *[(b, e, s, p) for b, e, s, p in bookings])
    _application(events, bookings, language=language, token="tok-1", link_replaced=True)
    assert drain(runtime) == 2
    first, second = (r.email for r in mail_server.received)
    assert says not in _text(first), "a first application says nothing of it"
    assert says in _text(second)
    assert "/registration/manage/tok-1" in _text(second) and "tok-0" not in _text(second)


def _text(email) -> str:
    return next(p for p in email.walk() if p.get_content_type() == "text/plain").get_content()


def test_one_booking_applied_for_keeps_its_own_confirmation(runtime, events, mail_server):
    _told_in_application(events, (11, 1, "confirmed"))
    _application(events, [(11, 1, "confirmed", None)])
    drain(runtime)
    assert [m.template for m in messages(runtime)] == ["confirmation"]
    assert mail_server.received[0].email["Subject"] == "Your place is confirmed: Exchange 1"


def test_a_booking_that_moved_on_before_the_email_is_left_out_of_it(runtime, events, mail_server):
    _told_in_application(events, (11, 1, "confirmed"), (12, 2, "confirmed"))
    _booked(events, 12, 2, "cancelled")
    _application(events, [(11, 1, "confirmed", None), (12, 2, "confirmed", None)])
    drain(runtime)
    confirmation = messages(runtime, template="confirmation")
    assert len(confirmation) == 1 and "Exchange 1" in confirmation[0].subject


def test_a_redelivered_application_sends_nothing_new(runtime, events, mail_server):
    bookings = [(11, 1, "confirmed", None), (12, 2, "confirmed", None)]
    envelope = _application(events, bookings)
    events.deliver("registration.application.submitted", {}, envelope)
    drain(runtime)
    assert len(mail_server.received) == 1
