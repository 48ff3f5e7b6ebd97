"""Dead letters on the in-process bus: listed without being consumed or shown, replayed to their own
queue only, taken off the dead queue only once republished. (The same on RabbitMQ, through the
`kx dead-letters` command, is in tests/test_faults_poison.py.)"""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from shared import dead_letters
from shared.bus import Bus, dumps
from shared.cli import main
from shared.events import make_envelope
from shared.testing import embedded_env


@pytest.fixture
def bus(tmp_path):
    bus = Bus(url="memory://", namespace=embedded_env(tmp_path)["KX_BUS_NAMESPACE"])
    with bus.connection() as connection:
        bus.declare(connection, [bus.handler_queue("notifications", "bookings", ["registration.booking.confirmed"]),
                                 bus.handler_queue("notifications", "claims", ["expenses.claim.queried"])])
    return bus


def _booking(email="person1@example.org") -> dict:
    return {"booking_id": 1, "exchange_id": 7, "application_id": 1, "waitlist_position": None,
            "applicant": {"name": "Alex Example", "email": email, "language": "en", "participant_type": "occupation"}}


def _bury(bus: Bus, queue: str, envelope_or_body, reason="MissingField: exchange", attempts=4) -> None:
    body = envelope_or_body if isinstance(envelope_or_body, str) else dumps(envelope_or_body)
    with bus.connection() as connection:
        bus.dead_letter(connection.Producer(), queue, body, reason, attempts)


def _depth(bus: Bus, name: str) -> int:
    with bus.connection() as connection:
        return connection.default_channel.queue_declare(queue=name, passive=True).message_count


def test_listing_shows_each_dead_letters_id_type_time_and_reason_and_leaves_it_in_place(bus):
    envelope = make_envelope("registration", "registration.booking.confirmed", _booking())
    queue = bus.queue_name("notifications", "bookings")
    _bury(bus, queue, envelope)

    found = {q.queue: q for q in dead_letters.list_dead(bus, ["notifications"])}

    assert found[queue].count == 1
    [letter] = found[queue].letters
    assert (letter.event_id, letter.type, letter.time) == (envelope["id"], envelope["type"], envelope["time"])
    assert (letter.reason, letter.attempts) == ("MissingField: exchange", 4)
    assert letter.dead_at != "?"
    assert found[bus.queue_name("notifications", "claims")].count == 0
    assert _depth(bus, f"{queue}.dead") == 1, "listing consumed nothing"


def test_listing_never_shows_the_events_personal_data(bus):
    queue = bus.queue_name("notifications", "bookings")
    _bury(bus, queue, make_envelope("registration", "registration.booking.confirmed", _booking("secret.person@example.org")))
    _bury(bus, queue, "not json at all, Alex Example", reason="InvalidEvent: unparseable", attempts=0)

    queues = dead_letters.list_dead(bus, ["notifications"])
    shown = "\n".join(dead_letters.render(queues)) + json.dumps([q.as_json() for q in queues])

    assert "secret.person" not in shown and "Alex Example" not in shown
    assert "InvalidEvent: unparseable" in shown


def test_replaying_one_event_puts_it_on_its_own_queue_only_and_leaves_the_others_dead(bus):
    queue = bus.queue_name("notifications", "bookings")
    first, second = (make_envelope("registration", "registration.booking.confirmed", _booking(f"p{n}@example.org"))
                     for n in (1, 2))
    _bury(bus, queue, first)
    _bury(bus, queue, second)

    replayed = dead_letters.replay(bus, "notifications", "bookings", event_id=second["id"])

    assert replayed == [(queue, second["id"])]
    assert _depth(bus, queue) == 1 and _depth(bus, f"{queue}.dead") == 1
    assert _depth(bus, bus.queue_name("notifications", "claims")) == 0
    [left] = next(q for q in dead_letters.list_dead(bus, ["notifications"]) if q.queue == queue).letters
    assert left.event_id == first["id"]
    with bus.connection() as connection:
        message = bus.handler_queue("notifications", "bookings", [])(connection.default_channel).get(no_ack=True)
    assert json.loads(message.body) == second, "the body is replayed unchanged"


def test_replaying_all_empties_every_dead_queue_of_the_service(bus):
    bookings, claims = bus.queue_name("notifications", "bookings"), bus.queue_name("notifications", "claims")
    for _ in range(3):
        _bury(bus, bookings, make_envelope("registration", "registration.booking.confirmed", _booking()))
    _bury(bus, claims, "{}", reason="InvalidEvent: envelope", attempts=0)

    replayed = dead_letters.replay(bus, "notifications")

    assert sorted(q for q, _ in replayed) == [bookings] * 3 + [claims]
    assert (_depth(bus, bookings), _depth(bus, claims)) == (3, 1)
    assert (_depth(bus, f"{bookings}.dead"), _depth(bus, f"{claims}.dead")) == (0, 0)


def test_a_queue_is_named_by_its_handler_or_its_full_name_and_an_unknown_one_is_refused(bus):
    name = bus.queue_name("learning", "catalogue")
    assert dead_letters.pick_queues(bus, "learning", "catalogue") == [name]
    assert dead_letters.pick_queues(bus, "learning", f"{name}.dead") == [name]
    with pytest.raises(dead_letters.UnknownQueue, match="catalogue, bookings, manage-links, attendance, staff-versions, programmes, staff-contacts, privacy-requests, programme-end, ping"):
        dead_letters.pick_queues(bus, "learning", "claims")


def test_the_command_says_it_needs_a_real_broker_on_the_embedded_setup(tmp_path, monkeypatch):
    for name, value in embedded_env(tmp_path / "var").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("KX_BROKER_URL", raising=False)

    result = CliRunner().invoke(main, ["dead-letters", "list"])

    assert result.exit_code == 2
    assert "needs a real broker" in result.output


def test_the_replay_command_wants_either_one_id_or_all(tmp_path, monkeypatch):
    monkeypatch.setenv("KX_BROKER_URL", "amqp://guest:guest@127.0.0.1:1//")
    monkeypatch.setenv("KX_SECRET_KEY", "x" * 40)
    for service in ("REGISTRATION", "NOTIFICATIONS", "LEARNING", "EXPENSES"):
        monkeypatch.setenv(f"KX_DATABASE_URL_{service}", f"sqlite:///{tmp_path}/{service}.db")

    neither = CliRunner().invoke(main, ["dead-letters", "replay", "notifications"])
    unknown = CliRunner().invoke(main, ["dead-letters", "replay", "notifications", "--queue", "nope", "--all"])

    assert neither.exit_code == 2 and "either --id EVENT_ID or --all" in neither.output
    assert unknown.exit_code == 2 and "not a queue of notifications" in unknown.output
