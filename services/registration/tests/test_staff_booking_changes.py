"""The programme team cancels or moves a booking for someone who phoned: a reason is required, it is
audited and sent to the person in the event; the waiting list is promoted; a move takes a free place
or the end of the other exchange's waiting list; the pages do the same, with errors beside fields."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.registration.models import Audit, Booking
from shared.testing import staff_token

from .conftest import add_exchange, applicant, apply_now, events

ADMIN = {"admin": []}


@pytest.fixture
def queue(runtime, catalogue):
    """Exchange A (3 places) with persons 1-3 confirmed and 4, 5 waiting; exchange B (1 place), full
    with person 6. Returns the exchanges and each person's booking id on A or B."""
    second = add_exchange(runtime, title="Second exchange", capacity=1)
    ids = {}
    for n in (1, 2, 3, 4, 5):
        ids[n] = apply_now(runtime, applicant(n), [catalogue]).bookings[0].booking.id
    ids[6] = apply_now(runtime, applicant(6), [second]).bookings[0].booking.id
    return {"a": catalogue, "b": second, "ids": ids}


def _booking(runtime, booking_id):
    with runtime.session() as session:
        row = session.get(Booking, booking_id)
        return row.exchange_id, row.status, row.waitlist_position


def test_cancelling_for_a_person_needs_a_reason_and_changes_nothing_without_one(client, auth, runtime, queue):
    refused = client.post(f"/registration/api/bookings/{queue['ids'][1]}/cancel", json={"reason": "  "},
                          headers=auth(**ADMIN))
    assert refused.status_code == 422 and "reason" in refused.json["error"]["fields"]
    assert _booking(runtime, queue["ids"][1])[1] == "confirmed"


def test_cancelling_for_a_person_promotes_the_next_tells_them_why_and_is_audited(client, auth, runtime, queue):
    answer = client.post(f"/registration/api/bookings/{queue['ids'][2]}/cancel",
                         json={"reason": "Phoned: cannot travel that week"}, headers=auth(admin=[], staff_id=9))
    assert answer.status_code == 200, answer.json
    assert answer.json == {"booking_id": queue["ids"][2], "exchange_id": queue["a"], "status": "cancelled",
                           "waitlist_position": None}
    assert _booking(runtime, queue["ids"][4])[1:] == ("confirmed", None)
    assert _booking(runtime, queue["ids"][5])[1:] == ("waitlisted", 1)
    cancelled = [data for kind, data in events(runtime, "registration.booking.cancelled")]
    assert cancelled[-1]["reason"] == "Phoned: cannot travel that week" and cancelled[-1]["moved_to"] is None
    with runtime.session() as session:
        entry = session.scalars(select(Audit).where(Audit.action == "booking.cancelled")).one()
    assert entry.actor_id == 9 and entry.after["reason"] == "Phoned: cannot travel that week"
    again = client.post(f"/registration/api/bookings/{queue['ids'][2]}/cancel", json={"reason": "again"},
                        headers=auth(**ADMIN))
    assert again.status_code == 409 and again.json["error"]["code"] == "already_cancelled"


def test_moving_to_a_full_exchange_joins_the_end_of_its_waiting_list_and_frees_the_place(client, auth, runtime, queue):
    answer = client.post(f"/registration/api/bookings/{queue['ids'][1]}/move",
                         json={"exchange_id": queue["b"], "reason": "Asked to go to the second"}, headers=auth(**ADMIN))
    assert answer.status_code == 200, answer.json
    assert answer.json["exchange_id"] == queue["b"] and answer.json["status"] == "waitlisted"
    assert answer.json["waitlist_position"] == 1
    assert _booking(runtime, queue["ids"][1])[1] == "cancelled"
    assert _booking(runtime, queue["ids"][4])[1] == "confirmed"  # the place left went to the next in line
    kinds = [kind for kind, _data in events(runtime, "registration.booking")][-3:]
    assert kinds == ["registration.booking.cancelled", "registration.booking.waitlisted",
                     "registration.booking.promoted"]
    moved = [data for kind, data in events(runtime, "registration.booking.cancelled")][-1]
    assert moved["moved_to"]["title"] == "Second exchange" and moved["reason"] == "Asked to go to the second"


def test_moving_to_an_exchange_with_a_free_place_confirms_it(client, auth, runtime, queue):
    third = add_exchange(runtime, title="Third exchange", capacity=2)
    answer = client.post(f"/registration/api/bookings/{queue['ids'][5]}/move",
                         json={"exchange_id": third, "reason": "Moved by phone"}, headers=auth(**ADMIN))
    assert answer.json["status"] == "confirmed"
    assert _booking(runtime, queue["ids"][4])[1:] == ("waitlisted", 1)


@pytest.mark.parametrize("to, status, where", [("same", 422, "exchange_id"), (9999, 422, "exchange_id")])
def test_a_move_to_the_same_or_an_unknown_exchange_is_refused_naming_the_field(client, auth, runtime, queue, to,
                                                                               status, where):
    target = queue["a"] if to == "same" else to
    answer = client.post(f"/registration/api/bookings/{queue['ids'][1]}/move",
                         json={"exchange_id": target, "reason": "x"}, headers=auth(**ADMIN))
    assert answer.status_code == status and where in answer.json["error"]["fields"]
    assert _booking(runtime, queue["ids"][1])[1] == "confirmed"


def test_a_move_to_an_exchange_they_already_hold_is_refused(client, auth, runtime, queue):
    apply_now(runtime, applicant(1), [queue["b"]])
    answer = client.post(f"/registration/api/bookings/{queue['ids'][1]}/move",
                         json={"exchange_id": queue["b"], "reason": "x"}, headers=auth(**ADMIN))
    assert answer.status_code == 409 and answer.json["error"]["code"] == "already_booked"
    assert _booking(runtime, queue["ids"][1])[1] == "confirmed"


def test_only_the_programme_team_changes_a_booking(client, auth, queue):
    url = f"/registration/api/bookings/{queue['ids'][1]}/cancel"
    assert client.post(url, json={"reason": "x"}).status_code == 401
    assert client.post(url, json={"reason": "x"}, headers=auth(host=[queue["a"]])).status_code == 403
    assert client.post("/registration/api/bookings/9999/cancel", json={"reason": "x"},
                       headers=auth(**ADMIN)).status_code == 404


@pytest.fixture
def admin_page(client, embedded_settings):
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(embedded_settings, ADMIN, 77, email="team@example.org")
    return client


def test_the_waiting_list_shows_its_order_and_the_change_links(admin_page, queue):
    text = admin_page.get(f"/registration/staff/exchanges/{queue['a']}/participants").get_data(as_text=True)
    assert text.index("Waiting list, position 1") < text.index("Waiting list, position 2")
    assert f"/registration/staff/bookings/{queue['ids'][4]}/move" in text


def test_the_cancel_page_asks_for_a_reason_then_cancels_and_says_so(admin_page, runtime, queue):
    url = f"/registration/staff/bookings/{queue['ids'][1]}/cancel"
    form = admin_page.get(url)
    assert form.status_code == 200 and "Person 1 Example" in form.get_data(as_text=True)
    missing = admin_page.post(url, data={"reason": ""})
    assert missing.status_code == 422 and "Enter the reason" in missing.get_data(as_text=True)
    assert _booking(runtime, queue["ids"][1])[1] == "confirmed"
    done = admin_page.post(url, data={"reason": "Phoned in"})
    assert done.status_code == 302 and "changed=cancelled" in done.headers["Location"]
    assert _booking(runtime, queue["ids"][1])[1] == "cancelled"
    shown = admin_page.get(done.headers["Location"]).get_data(as_text=True)
    assert "The booking was cancelled and the person has been emailed." in shown


def test_the_move_page_in_welsh_names_a_missing_exchange_then_moves(admin_page, runtime, queue):
    url = f"/registration/staff/bookings/{queue['ids'][1]}/move"
    missing = admin_page.post(url + "?lang=cy", data={"reason": "Ffoniodd"})
    assert missing.status_code == 422 and 'lang="cy"' in missing.get_data(as_text=True)
    assert "Dewiswch gyfnewid o&#39;r rhestr." in missing.get_data(as_text=True)
    done = admin_page.post(url, data={"reason": "Phoned", "exchange_id": str(queue["b"])})
    assert done.status_code == 302
    assert _booking(runtime, queue["ids"][1])[1] == "cancelled"
