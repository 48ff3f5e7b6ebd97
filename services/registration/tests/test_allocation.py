"""First come, first served: confirmed never exceeds capacity, the waiting list is dense, one
booking per person per exchange, closed exchanges refuse, cancelling and capacity promote."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from services.registration.models import Booking, Exchange
from services.registration.operations import (
    cancel_booking,
    release_reservations,
    set_capacity,
    set_closed,
    update_exchange,
)
from shared.errors import ApiError

from .conftest import NOW, STARTS, add_exchange, applicant, apply_now, events


def statuses(result):
    return [(o.status, o.waitlist_position) for o in result.bookings]


def test_places_go_in_order_then_the_waiting_list_counts_from_one(runtime, catalogue):
    answers = [statuses(apply_now(runtime, applicant(n), [catalogue]))[0] for n in range(1, 7)]
    assert answers == [("confirmed", None)] * 3 + [("waitlisted", 1), ("waitlisted", 2), ("waitlisted", 3)]


def test_applying_again_for_the_same_exchange_answers_already_booked(runtime, catalogue):
    first = apply_now(runtime, applicant(1), [catalogue])
    again = apply_now(runtime, applicant(1, email="PERSON1@Example.org"), [catalogue])
    assert statuses(again) == [("already_booked", None)]
    assert again.application.id == first.application.id, "the same person's one application"
    assert (again.manage_token, again.link) == (None, "unchanged"), "nothing booked: their link stays as it was"


def test_applying_again_once_full_answers_already_booked_and_leaves_places_and_queue_as_they_were(
        runtime, catalogue):
    for n in range(1, 5):
        apply_now(runtime, applicant(n), [catalogue])
    assert statuses(apply_now(runtime, applicant(1), [catalogue])) == [("already_booked", None)]
    assert statuses(apply_now(runtime, applicant(4), [catalogue])) == [("already_booked", None)]
    assert statuses(apply_now(runtime, applicant(5), [catalogue])) == [("waitlisted", 2)]
    with runtime.session() as session:
        exchange = session.get(Exchange, catalogue)
        assert (exchange.confirmed_count, exchange.waitlist_length) == (3, 2)
        assert session.scalar(select(func.count()).select_from(Booking)) == 5
    assert len(events(runtime, "registration.booking.")) == 5


def test_a_closed_exchange_answers_already_booked_to_whoever_holds_a_booking_on_it(runtime, catalogue):
    apply_now(runtime, applicant(1), [catalogue])
    with runtime.session() as session, session.begin():
        set_closed(session, catalogue, True)
    assert statuses(apply_now(runtime, applicant(1), [catalogue])) == [("already_booked", None)]
    assert statuses(apply_now(runtime, applicant(2), [catalogue])) == [("closed", None)]


def test_past_the_deadline_or_closed_early_an_exchange_answers_closed(runtime, catalogue):
    late = apply_now(runtime, applicant(1), [catalogue], now=STARTS - timedelta(days=9))
    assert statuses(late) == [("closed", None)]
    with runtime.session() as session, session.begin():
        set_closed(session, catalogue, True)
    assert statuses(apply_now(runtime, applicant(2), [catalogue])) == [("closed", None)]
    with runtime.session() as session, session.begin():
        set_closed(session, catalogue, False)
    assert statuses(apply_now(runtime, applicant(2), [catalogue])) == [("confirmed", None)]


def test_cancelling_a_confirmed_place_promotes_the_first_in_line_and_closes_up_the_queue(runtime, catalogue):
    results = [apply_now(runtime, applicant(n), [catalogue]) for n in range(1, 7)]
    with runtime.session() as session, session.begin():
        cancel_booking(session, results[0].manage_token, catalogue)
    with runtime.session() as session:
        rows = session.execute(select(Booking.application_id, Booking.status, Booking.waitlist_position)
                               .order_by(Booking.id)).all()
        assert session.get(Exchange, catalogue).confirmed_count == 3
    by_app = {r.application_id: (r.status, r.waitlist_position) for r in rows}
    ids = [r.application.id for r in results]
    assert [by_app[i] for i in ids] == [("cancelled", None), ("confirmed", None), ("confirmed", None),
                                        ("confirmed", None), ("waitlisted", 1), ("waitlisted", 2)]
    kinds = [kind for kind, _ in events(runtime, "registration.booking.")][-2:]
    assert kinds == ["registration.booking.cancelled", "registration.booking.promoted"]


def test_cancelling_a_waitlisted_booking_closes_up_the_queue(runtime, catalogue):
    results = [apply_now(runtime, applicant(n), [catalogue]) for n in range(1, 7)]
    with runtime.session() as session, session.begin():
        cancel_booking(session, results[3].manage_token, catalogue)
    with runtime.session() as session:
        queue = session.execute(select(Booking.application_id, Booking.waitlist_position)
                                .where(Booking.status == "waitlisted").order_by(Booking.waitlist_position)).all()
    assert queue == [(results[4].application.id, 1), (results[5].application.id, 2)]


def test_cancelling_twice_changes_nothing_the_second_time(runtime, catalogue):
    result = apply_now(runtime, applicant(1), [catalogue])
    for _ in range(2):
        with runtime.session() as session, session.begin():
            assert cancel_booking(session, result.manage_token, catalogue).status == "cancelled"
    assert len(events(runtime, "registration.booking.cancelled")) == 1


def test_cancelling_with_an_unknown_token_or_exchange_is_not_found(runtime, catalogue):
    result = apply_now(runtime, applicant(1), [catalogue])
    other = add_exchange(runtime, title="Another")
    for token, exchange_id in (("no-such-token", catalogue), (result.manage_token, other),
                               (result.manage_token, 999)):
        with runtime.session() as session, pytest.raises(ApiError) as refused:
            cancel_booking(session, token, exchange_id)
        assert refused.value.status == 404


def test_raising_capacity_promotes_as_many_as_fit(runtime, catalogue):
    for n in range(1, 7):
        apply_now(runtime, applicant(n), [catalogue])
    with runtime.session() as session, session.begin():
        set_capacity(session, catalogue, 5)
    with runtime.session() as session:
        rows = session.execute(select(Booking.status, Booking.waitlist_position).order_by(Booking.id)).all()
    assert [tuple(r) for r in rows] == [("confirmed", None)] * 5 + [("waitlisted", 1)]
    assert len(events(runtime, "registration.booking.promoted")) == 2


def test_lowering_capacity_below_the_confirmed_count_is_refused(runtime, catalogue):
    for n in range(1, 3):
        apply_now(runtime, applicant(n), [catalogue])
    for change in (lambda s: set_capacity(s, catalogue, 1), lambda s: update_exchange(s, catalogue, {"capacity": 1})):
        with runtime.session() as session, pytest.raises(ApiError) as refused:
            change(session)
        assert refused.value.status == 409
    with runtime.session() as session, session.begin():
        set_capacity(session, catalogue, 2)  # down to exactly the confirmed count is fine


def test_the_database_refuses_an_overbooking_even_when_the_code_forgets(runtime, catalogue):
    with runtime.session() as session, pytest.raises(IntegrityError):
        session.execute(text("UPDATE exchanges SET confirmed_count = capacity + 1"))
        session.flush()


def test_the_database_refuses_two_active_bookings_for_one_person(runtime, catalogue):
    result = apply_now(runtime, applicant(1), [catalogue])
    with runtime.session() as session, pytest.raises(IntegrityError):
        session.add(Booking(application_id=result.application.id, exchange_id=catalogue,
                            email_folded="person1@example.org", status="waitlisted", waitlist_position=1,
                            created_at=NOW, updated_at=NOW))
        session.flush()


def test_reserved_places_are_kept_for_experts_by_experience_until_released(runtime, catalogue):
    release = NOW + timedelta(days=5)
    exchange_id = add_exchange(runtime, title="Reserved", capacity=3,
                               reserved_places={"experience": 1, "occupation": 0, "until": release})
    first = [statuses(apply_now(runtime, applicant(n), [exchange_id]))[0] for n in range(1, 4)]
    assert first == [("confirmed", None), ("confirmed", None), ("waitlisted", 1)]
    lived = apply_now(runtime, applicant(9, participant_type="experience"), [exchange_id])
    assert statuses(lived) == [("confirmed", None)]
    # once released, the waiting list is promoted by the periodic job
    exchange_id2 = add_exchange(runtime, title="Reserved 2", capacity=2,
                                reserved_places={"experience": 1, "occupation": 0, "until": release})
    apply_now(runtime, applicant(1), [exchange_id2])
    assert statuses(apply_now(runtime, applicant(2), [exchange_id2])) == [("waitlisted", 1)]
    with runtime.session() as session, session.begin():
        assert release_reservations(session, now=release) == 1


def test_one_application_books_several_exchanges_and_warns_of_the_same_day(runtime, catalogue):
    same_day = add_exchange(runtime, title="Same day", starts=STARTS + timedelta(hours=5))
    result = apply_now(runtime, applicant(1), [catalogue, same_day])
    assert statuses(result) == [("confirmed", None), ("confirmed", None)]
    day = STARTS.astimezone(ZoneInfo("Europe/London")).date().isoformat()
    assert result.warnings == [{"code": "same_day", "exchange_ids": [catalogue, same_day], "date": day}]


def test_a_session_during_another_chosen_visit_is_warned_of(runtime, catalogue):
    clash = add_exchange(runtime, title="Clash", starts=STARTS + timedelta(days=1),
                         orientation={"starts_at": STARTS + timedelta(hours=1), "url": None})
    result = apply_now(runtime, applicant(1), [catalogue, clash])
    assert {"code": "session_clash", "exchange_ids": [clash, catalogue], "session": "orientation",
            "date": result.warnings[0]["date"]} in result.warnings
