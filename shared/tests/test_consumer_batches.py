"""Events in hand are handled together in one transaction; one failing event costs only its own
attempts, and every other event is handled once and acked after its commit."""

import dataclasses

from sqlalchemy import func, select

from shared.bus import dumps
from shared.consumer import Consumer, _Delivery
from shared.events import make_envelope, parse
from shared.service import Runtime
from shared.testing import effect_service


class Message:
    def __init__(self, body: str):
        self.body = body
        self.acked = 0

    def ack(self):
        self.acked += 1


class DeadLetters:
    def __init__(self):
        self.moved = []

    def dead_letter(self, producer, queue_name, body, reason, attempts, publisher=None):
        self.moved.append((parse(body)[0]["id"], attempts))


def _in_hand(consumer: Consumer, nonces: list[str]) -> list[Message]:
    handler = consumer.handlers[0]
    messages = []
    for nonce in nonces:
        message = Message(dumps(make_envelope("probe", "system.ping", {"service": "probe", "nonce": nonce})))
        envelope, data = parse(message.body)
        consumer._in_hand.append(_Delivery(handler, "q", None, message, envelope, data))
        messages.append(message)
    return messages


def test_a_failing_event_in_a_batch_is_retried_alone_and_the_others_are_handled_once(embedded_settings, tmp_path):
    calls = []

    def poison_is_bad(session, envelope, data):
        calls.append(data["nonce"])
        if data["nonce"] == "poison":
            raise RuntimeError("always fails")

    service, effect = effect_service(poison_is_bad)
    runtime = Runtime(service, embedded_settings, database_url=f"sqlite:///{tmp_path / 'b.db'}")
    service.base.metadata.create_all(runtime.engine)
    consumer = Consumer(runtime, service.handlers)
    consumer.bus = dead = DeadLetters()
    messages = _in_hand(consumer, ["a", "b", "poison", "c", "d"])
    messages.append(messages[0])  # `a` delivered twice in the same batch
    consumer._in_hand.append(consumer._in_hand[0])

    consumer._handle_in_hand()

    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(effect)) == 4
        assert session.scalar(select(func.count()).select_from(service.inbox)) == 4
    assert calls.count("poison") == runtime.settings.bus_retries + 1, "tried once, then retried the configured times"
    assert dead.moved == [(parse(messages[2].body)[0]["id"], runtime.settings.bus_retries + 1)]
    assert all(m.acked for m in messages)
    runtime.dispose()


def test_a_handlers_prepare_runs_once_per_transaction_with_all_its_events_before_any_of_them(
        embedded_settings, tmp_path):
    seen = []
    service, _effect = effect_service(lambda session, envelope, data: seen.append(("handle", data["nonce"])))
    handler = dataclasses.replace(service.handlers[0], prepare=lambda session, events: seen.append(
        ("prepare", [data["nonce"] for data in events])))
    service = dataclasses.replace(service, handlers=(handler,))
    runtime = Runtime(service, embedded_settings, database_url=f"sqlite:///{tmp_path / 'p.db'}")
    service.base.metadata.create_all(runtime.engine)
    consumer = Consumer(runtime, service.handlers)

    _in_hand(consumer, ["a", "b", "c"])
    consumer._handle_in_hand()
    assert seen == [("prepare", ["a", "b", "c"]), ("handle", "a"), ("handle", "b"), ("handle", "c")]

    seen.clear()
    envelope, data = parse(dumps(make_envelope("probe", "system.ping", {"service": "probe", "nonce": "alone"})))
    consumer.handle(handler, "probe.effect", envelope, data)
    assert seen == [("prepare", ["alone"]), ("handle", "alone")]
    runtime.dispose()
