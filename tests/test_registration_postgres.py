"""Registration on the real PostgreSQL: the rush of 200, applications naming several exchanges in
opposite orders (no deadlock), concurrent cancels and applications, and the migration matching
the models. Each test gets a fresh schema (`pg_schemas`, shared/testing.py), dropped after."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, select, text
from sqlalchemy.exc import IntegrityError

from services.registration.models import Booking, Exchange, Theme
from services.registration.operations import (
    Applicant,
    application_for_token,
    apply,
    cancel_booking,
    create_exchange,
    create_theme,
)
from services.registration.operations.applications import application_with_bookings
from services.registration.service import SERVICE
from services.registration.tests.rush import assert_first_come_first_served, rush
from shared.link_seal import unseal
from shared.manage_tokens import holder
from shared.migrations import upgrade
from shared.service import Runtime

pytestmark = pytest.mark.integration

STARTS = datetime.now(UTC).replace(microsecond=0) + timedelta(days=30)


@pytest.fixture
def pg_runtime(embedded_settings, pg_schemas):
    runtime = Runtime(SERVICE, embedded_settings, database_url=pg_schemas("registration"))
    upgrade(runtime)
    yield runtime
    runtime.dispose()


def new_exchange(runtime, capacity: int, title: str = "Rush") -> int:
    with runtime.session() as session, session.begin():
        if session.get(Theme, "T1") is None:
            create_theme(session, "T1", "Theme one")
        return create_exchange(session, {
            "title": title, "theme": "T1", "subtheme": None, "host": {"name": "Example Health Board"},
            "location": {"site": "Example Site", "town": "Cardiff"}, "starts_at": STARTS,
            "ends_at": STARTS + timedelta(hours=3), "capacity": capacity,
            "booking_closes_at": STARTS - timedelta(days=5)}).id


def person(number: int) -> Applicant:
    return Applicant(name=f"Person {number}", email=f"p{number}@example.org", participant_type="occupation",
                     language="en")


def apply_one(runtime, number: int, exchange_ids):
    with runtime.session() as session, session.begin():
        return apply(session, person(number), exchange_ids, line_manager_permission="yes",
                     will_attend_sessions=True, privacy_notice_accepted=True)


@pytest.mark.timeout(180)
def test_a_rush_of_200_on_postgresql_confirms_exactly_capacity_and_queues_the_rest_densely(pg_runtime):
    exchange_id = new_exchange(pg_runtime, capacity=20)
    answers = rush(pg_runtime, exchange_id, 200)
    assert_first_come_first_served(pg_runtime, exchange_id, answers, capacity=20)


@pytest.mark.timeout(180)
def test_applications_naming_several_exchanges_in_opposite_orders_never_deadlock(pg_runtime):
    first, second = new_exchange(pg_runtime, 5, "A"), new_exchange(pg_runtime, 5, "B")
    start = threading.Barrier(40)
    errors = []

    def one(number):
        start.wait()
        try:
            apply_one(pg_runtime, number, [first, second] if number % 2 else [second, first])
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(40)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    with pg_runtime.session() as session:
        for exchange_id in (first, second):
            assert session.get(Exchange, exchange_id).confirmed_count == 5
            positions = sorted(session.scalars(select(Booking.waitlist_position).where(
                Booking.exchange_id == exchange_id, Booking.status == "waitlisted")))
            assert positions == list(range(1, 36))


@pytest.mark.timeout(180)
def test_concurrent_cancels_and_applications_keep_the_exchange_full_and_the_queue_dense(pg_runtime):
    exchange_id = new_exchange(pg_runtime, capacity=10)
    tokens = [apply_one(pg_runtime, n, [exchange_id]).manage_token for n in range(20)]
    start = threading.Barrier(20)
    errors = []

    def cancel(token):
        start.wait()
        try:
            with pg_runtime.session() as session, session.begin():
                cancel_booking(session, token, exchange_id)
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    def newcomer(number):
        start.wait()
        try:
            apply_one(pg_runtime, number, [exchange_id])
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    threads = [threading.Thread(target=cancel, args=(t,)) for t in tokens[:10]]
    threads += [threading.Thread(target=newcomer, args=(100 + n,)) for n in range(10)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    with pg_runtime.session() as session:
        assert session.get(Exchange, exchange_id).confirmed_count == 10
        confirmed = session.scalar(select(func.count()).select_from(Booking).where(
            Booking.exchange_id == exchange_id, Booking.status == "confirmed"))
        positions = sorted(session.scalars(select(Booking.waitlist_position).where(
            Booking.exchange_id == exchange_id, Booking.status == "waitlisted")))
    assert confirmed == 10 and positions == list(range(1, 11))


def test_postgresql_refuses_an_overbooking_the_code_did_not_prevent(pg_runtime):
    new_exchange(pg_runtime, capacity=1)
    with pg_runtime.session() as session, pytest.raises(IntegrityError):
        session.execute(text("UPDATE exchanges SET confirmed_count = capacity + 1"))


def test_the_migration_builds_exactly_the_models_on_postgresql(pg_runtime):
    with pg_runtime.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        assert compare_metadata(context, SERVICE.base.metadata) == []


@pytest.mark.timeout(120)
def test_concurrent_retries_with_one_idempotency_key_make_one_application(pg_runtime):
    from services.registration import create_app
    from services.registration.models import Application

    exchange_id = new_exchange(pg_runtime, capacity=5)
    app = create_app({"KX_RUNTIME": pg_runtime, "TESTING": True, "KX_APPLY_RATE_LIMIT": "0"})
    body = {"applicant": {"name": "Retry Example", "email": "retry@example.org", "participant_type": "both"},
            "exchange_ids": [exchange_id], "line_manager_permission": "yes", "will_attend_sessions": True,
            "privacy_notice_accepted": True}
    start = threading.Barrier(10)
    answers = []

    def one():
        client = app.test_client()
        start.wait()
        response = client.post("/registration/api/applications", json=body, headers={"Idempotency-Key": "same-key"})
        answers.append((response.status_code, response.get_json()))

    threads = [threading.Thread(target=one) for _ in range(10)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert {status for status, _ in answers} == {201}
    assert len({body["manage_token"] for _, body in answers}) == 1
    with pg_runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1


@pytest.mark.timeout(120)
def test_concurrent_password_resets_on_postgresql_send_at_most_three_links_an_hour(pg_runtime):
    """Twelve requests at once, as from several web processes: the account's row lock makes the
    count of the last hour's links exact, so no two requests both see room for a third."""
    from services.registration.models import PasswordLink
    from services.registration.operations import create_staff
    from services.registration.operations.accounts import request_reset

    with pg_runtime.session() as session, session.begin():
        create_staff(session, "admin@example.org", "Programme team", "correct horse battery staple", {"admin": []})
    start = threading.Barrier(12)
    errors = []

    def one():
        start.wait()
        try:
            with pg_runtime.session() as session, session.begin():
                request_reset(session, "admin@example.org")
        except Exception as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=one) for _ in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with pg_runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(PasswordLink)) == 3


def test_one_person_applying_twice_without_the_link_has_one_application_and_one_link(pg_runtime):
    from services.registration.models import Application
    from services.registration.tests.conftest import events

    first, second = new_exchange(pg_runtime, 5, "A"), new_exchange(pg_runtime, 5, "B")
    token = apply_one(pg_runtime, 7, [first]).manage_token
    with pg_runtime.session() as session, session.begin():
        again = apply(session, Applicant(name="Person 7", email=" P7@Example.ORG", participant_type="occupation",
                                         language="en"), [second], line_manager_permission="yes",
                      will_attend_sessions=True, privacy_notice_accepted=True)
        assert (again.manage_token, again.link) == (None, "emailed")
    new = unseal(pg_runtime.settings, events(pg_runtime, "registration.application.submitted")[-1][1]
                 ["manage_token_sealed"])
    with pg_runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1
        page = application_with_bookings(session, application_for_token(session, new))
        assert sorted(b["exchange_id"] for b in page["bookings"]) == sorted([first, second])
        assert holder(session, Application, token) is None, "the link sent before no longer works"


@pytest.mark.timeout(120)
def test_first_applications_of_one_email_at_once_make_one_application(pg_runtime):
    """Ten first applications of one person at once, each for its own exchange, as from several web
    processes: the advisory lock on the email makes them join one application, not ten."""
    from services.registration.models import Application

    exchanges = [new_exchange(pg_runtime, 5, f"E{n}") for n in range(10)]
    start = threading.Barrier(10)
    errors, answers = [], []

    def one(exchange_id):
        start.wait()
        try:
            answers.append(apply_one(pg_runtime, 8, [exchange_id]))
        except Exception as error:  # noqa: BLE001
            errors.append(repr(error))

    threads = [threading.Thread(target=one, args=(e,)) for e in exchanges]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
    assert sum(1 for a in answers if a.link == "shown") == 1, "one link shown: the first; the rest emailed"
    with pg_runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1
        assert session.scalar(select(func.count()).select_from(Booking)) == 10

