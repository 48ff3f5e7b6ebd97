"""Allocation invariants under random interleavings of apply, cancel and capacity changes
(hypothesis): confirmed never above capacity and equal to the counter, waiting-list positions
dense and as many as the exchange's `waitlist_length`, one active booking per person per exchange,
and nobody left waiting while a place is free."""

from __future__ import annotations

import itertools
from collections import Counter
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from services.registration.models import Application, Booking, Exchange
from services.registration.operations import cancel_booking, set_capacity
from shared.errors import ApiError
from shared.link_seal import unseal
from shared.manage_tokens import token_hash

from .conftest import NOW, add_exchange, applicant, apply_now, events

PEOPLE = 7
TYPES = ("occupation", "experience", "both")
runs = itertools.count()

operation = st.one_of(
    st.tuples(st.just("apply"), st.integers(0, PEOPLE - 1), st.lists(st.integers(0, 1), min_size=1, max_size=2)),
    st.tuples(st.just("cancel"), st.integers(0, PEOPLE - 1), st.integers(0, 1)),
    st.tuples(st.just("capacity"), st.integers(0, 1), st.integers(0, 5)),
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(operations=st.lists(operation, max_size=25), reserved=st.booleans(), capacities=st.tuples(
    st.integers(0, 3), st.integers(1, 3)))
def test_allocation_invariants_hold_for_any_interleaving(runtime, catalogue, operations, reserved, capacities):
    run = next(runs)
    reservation = ({"experience": 1, "occupation": 0, "until": NOW + timedelta(days=2)} if reserved else None)
    exchanges = [add_exchange(runtime, title=f"Run {run} exchange {i}", capacity=capacities[i],
                              reserved_places=reservation if capacities[i] >= 1 else None) for i in range(2)]
    tokens: dict[int, str] = {}  # each person's one link, as their newest email holds it
    for op in operations:
        if op[0] == "apply":
            person = op[1]
            who = applicant(person, participant_type=TYPES[person % 3], email=f"p{person}.run{run}@example.org")
            result = apply_now(runtime, who, [exchanges[i] for i in op[2]])
            if result.link != "unchanged":  # a new person's link, or theirs renewed and emailed
                tokens[person] = result.manage_token or emailed_link(runtime)
        elif op[0] == "cancel":
            token = tokens.get(op[1])
            if token is not None and booked(runtime, token, exchanges[op[2]]):
                with runtime.session() as session, session.begin():
                    cancel_booking(session, token, exchanges[op[2]])
        else:
            try:
                with runtime.session() as session, session.begin():
                    set_capacity(session, exchanges[op[1]], op[2])
            except ApiError as refused:
                assert refused.status == 409
        check_invariants(runtime, exchanges)


def emailed_link(runtime) -> str:
    """The link in the newest confirmation email: joining by email renews the person's one link."""
    _, data = events(runtime, "registration.application.submitted")[-1]
    return unseal(runtime.settings, data["manage_token_sealed"])


def booked(runtime, token: str, exchange_id: int) -> bool:
    with runtime.session() as session:
        return session.scalar(select(Booking.id).join(Application, Application.id == Booking.application_id)
                              .where(Application.manage_token_hash == token_hash(token),
                                     Booking.exchange_id == exchange_id)) is not None


def check_invariants(runtime, exchange_ids):
    with runtime.session() as session:
        for exchange_id in exchange_ids:
            exchange = session.get(Exchange, exchange_id)
            rows = session.execute(select(Booking, Application.participant_type)
                                   .join(Application, Application.id == Booking.application_id)
                                   .where(Booking.exchange_id == exchange_id)).all()
            active = [b for b, _ in rows if b.status != "cancelled"]
            confirmed = [b for b in active if b.status == "confirmed"]
            waiting = sorted(b.waitlist_position for b in active if b.status == "waitlisted")
            assert len(confirmed) == exchange.confirmed_count <= exchange.capacity
            assert waiting == list(range(1, len(waiting) + 1))
            assert len(waiting) == exchange.waitlist_length
            assert max(Counter(b.email_folded for b in active).values(), default=0) <= 1
            if waiting and exchange.reserved_until is None or (waiting and not exchange.reserved_experience):
                assert len(confirmed) == exchange.capacity  # nobody waits while a place is free
            if waiting and exchange.reserved_experience:
                # a free place may only be one kept for experts by experience, none of whom waits
                types = {b.id: t for b, t in rows}
                if len(confirmed) < exchange.capacity:
                    assert all(types[b.id] == "occupation" for b in active if b.status == "waitlisted")
