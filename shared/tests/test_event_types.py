"""Event types are names (`shared/events/types.py`), and a handler naming an unknown one stops start-up."""

import pytest

from shared import events
from shared.events import types
from shared.events.schemas import known_type
from shared.service import Handler


def _noop(session, envelope, data):
    pass


def test_each_named_type_has_a_schema_and_each_schema_a_name():
    named = {value for name, value in vars(types).items() if name.isupper() and isinstance(value, str)}
    assert named == set(events.EVENT_SCHEMAS)


def test_the_groups_hold_only_declared_types():
    for group in (events.EXCHANGE_EVENTS, events.BOOKING_EVENTS, events.SUMMARY_EVENTS, events.CLAIM_EVENTS):
        assert set(group) <= set(events.EVENT_SCHEMAS)


def test_the_names_are_the_routing_keys_of_the_contract():
    assert events.BOOKING_CONFIRMED == "registration.booking.confirmed"
    assert events.CLAIM_PAID == "expenses.claim.paid"
    assert events.PING == "system.ping"


def test_a_handler_of_an_unknown_event_type_fails_when_built_and_names_the_type():
    with pytest.raises(ValueError, match=r"handler 'bookings': unknown event type 'registration\.booking\.confirmd'"):
        Handler("bookings", (events.BOOKING_CONFIRMED, "registration.booking.confirmd"), _noop)


def test_a_handler_may_bind_a_topic_pattern_that_matches_a_declared_type():
    assert Handler("everything-system", ("system.#",), _noop).events == ("system.#",)
    assert Handler("bookings", ("registration.booking.*",), _noop)
    with pytest.raises(ValueError, match="'registration.bookings.*'"):
        Handler("typo", ("registration.bookings.*",), _noop)


@pytest.mark.parametrize(("binding", "known"), [
    ("registration.booking.confirmed", True),
    ("registration.booking.confirmd", False),
    ("registration.*.confirmed", True),
    ("registration.*", False),  # `*` is exactly one word
    ("registration.#", True),
    ("#", True),
    ("#.paid", True),
    ("#.unheard_of", False),
    ("registration.booking.confirmed.extra", False),
])
def test_known_type_reads_bindings_as_the_topic_exchange_does(binding, known):
    assert known_type(binding) is known


def test_every_service_loads_with_its_handlers():
    from shared.config import SERVICES
    from shared.registry import load_service

    for name in SERVICES:
        for handler in load_service(name).handlers:
            assert all(known_type(event_type) for event_type in handler.events)
