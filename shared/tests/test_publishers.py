"""Who may publish each event type (shared/events/publishers.py)."""

import pytest

from shared import dead_letters, events
from shared.bus import Bus, dumps
from shared.config import SERVICES
from shared.events import make_envelope, parse
from shared.events.publishers import refusal
from shared.testing import embedded_env

BOOKING = {"booking_id": 1, "exchange_id": 7, "application_id": 1, "waitlist_position": None,
           "applicant": {"name": "Alex Example", "email": "a@example.org", "language": "en",
                         "participant_type": "occupation"}}

OTHERS = {service: [other for other in SERVICES if other != service] for service in SERVICES}


@pytest.mark.parametrize("event_type", sorted(t for t in events.EVENT_SCHEMAS if t.split(".")[0] in SERVICES))
def test_an_event_of_a_service_is_accepted_from_that_service_alone(event_type):
    owner = event_type.split(".")[0]
    assert refusal(owner, event_type, {}) is None
    for other in [*OTHERS[owner], "guest", "", None]:
        assert refusal(other, event_type, {}) is not None, other


def test_a_refusal_names_the_type_and_the_publisher_and_nothing_of_the_data():
    reason = refusal("learning", events.PROGRAMME_UPDATED, {"ends_at": "2000-01-01T00:00:00+00:00"})
    assert reason == ("refused: registration.programme.updated was published by 'learning', "
                      "not by its owner registration")
    assert "2000" not in reason
    assert "by nobody" in refusal(None, events.PROGRAMME_UPDATED, {})


@pytest.mark.parametrize("event_type", [events.ACCESS_REQUESTED, events.ERASURE_REQUESTED])
def test_privacy_requests_come_from_registration_only(event_type):
    assert refusal("registration", event_type, {}) is None
    for other in OTHERS["registration"]:
        assert refusal(other, event_type, {}) is not None


@pytest.mark.parametrize("event_type", [events.ACCESS_ANSWERED, events.ERASURE_COMPLETED])
def test_each_service_answers_privacy_requests_for_itself_only(event_type):
    for service in SERVICES:
        assert refusal(service, event_type, {"service": service}) is None
        for other in OTHERS[service]:
            assert refusal(other, event_type, {"service": service}) is not None, (other, service)
    assert refusal("guest", event_type, {"service": "guest"}) is not None


def test_a_ping_may_come_from_anyone_as_it_changes_nothing():
    for publisher in (*SERVICES, "probe", "guest", None):
        assert refusal(publisher, events.PING, {"service": "x"}) is None


def test_every_declared_type_has_a_publisher_and_an_unclaimed_word_has_none():
    for event_type in events.EVENT_SCHEMAS:
        assert any(refusal(s, event_type, {"service": s}) is None for s in SERVICES), event_type
    assert refusal("registration", "somebody.thing.happened", {}) is not None


def test_a_replayed_dead_letter_is_judged_by_who_had_published_it_not_by_who_replayed_it(tmp_path):
    namespace = embedded_env(tmp_path)["KX_BUS_NAMESPACE"]
    notifications, learning = (Bus("memory://", namespace, service) for service in ("notifications", "learning"))
    queue = notifications.handler_queue("notifications", "bookings", [events.BOOKING_CONFIRMED])
    with notifications.connection() as connection:
        notifications.declare(connection, [queue])
    genuine, forged = (make_envelope("registration", events.BOOKING_CONFIRMED, BOOKING) for _ in range(2))
    with notifications.connection() as connection:  # its consumer gave up on registration's event
        notifications.dead_letter(connection.Producer(), queue.name, dumps(genuine), "Boom", 4, publisher="registration")
    with learning.connection() as connection:  # learning slips a letter in, claiming registration sent it
        learning.dead_letter(connection.Producer(), queue.name, dumps(forged), "Boom", 4, publisher="registration")

    dead_letters.replay(notifications, "notifications", "bookings", event_id=None)

    with notifications.connection() as connection:
        replayed = [queue(connection.default_channel).get() for _ in range(2)]
    assert {parse(m.body)[0]["id"]: notifications.publisher(m) for m in replayed} == {
        genuine["id"]: "registration", forged["id"]: "learning"}
    assert refusal(notifications.publisher(replayed[0]), events.BOOKING_CONFIRMED, {}) is None
