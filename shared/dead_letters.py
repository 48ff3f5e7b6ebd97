"""Dead letters: list what a handler gave up on, and put it back once the cause is fixed.

Each handler queue `<ns>.<service>.<handler>` dead-letters into `<ns>.<service>.<handler>.dead`:
the consumer does so after its retries (headers `x-kx-reason`, `x-kx-attempts`, `x-kx-dead-at`),
and RabbitMQ does so past the queue's delivery limit (header `x-death`). Listing peeks without
consuming: messages are taken unacknowledged and given back when the channel closes. Replaying
republishes a message to its own handler queue through the bus wrapper, and acks the dead copy
only after the broker has confirmed the republish, so a crash in between duplicates at worst
(which the handler's inbox absorbs) and never loses.

What is shown of a message is its event id, type and time, and why it died: never its data,
which may hold names and emails.

Both transports work, but the in-process one (`memory://`) lives inside the process that runs
it: from another process, such as the `kx` command, the embedded setup's dead letters cannot be
reached, so the command needs a real broker.
"""

from __future__ import annotations

import json
from contextlib import contextmanager, suppress
from dataclasses import asdict, dataclass, field
from datetime import datetime

from kombu import Connection

from .bus import Bus, dead_letter_publisher
from .config import SERVICES
from .diagnostics import PING


class UnknownQueue(ValueError):
    """The queue named is not one of the service's handler queues."""


@dataclass(frozen=True)
class DeadLetter:
    event_id: str
    type: str
    #: when the event happened (its envelope's `time`)
    time: str
    #: when it was dead-lettered, when known
    dead_at: str
    reason: str
    attempts: int | None


@dataclass
class DeadQueue:
    #: the handler queue the letters came from (and go back to)
    queue: str
    count: int
    letters: list[DeadLetter] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.queue}.dead"

    def as_json(self) -> dict:
        return {"queue": self.queue, "dead_queue": self.name, "count": self.count,
                "messages": [asdict(letter) for letter in self.letters]}


def handler_queues(bus: Bus, service: str) -> list[str]:
    """The names of a service's handler queues (its handlers' and the diagnostic ping's)."""
    from .registry import load_service

    handlers = (*load_service(service).handlers, PING)
    return [bus.queue_name(service, handler.name) for handler in handlers]


def pick_queues(bus: Bus, service: str, queue: str | None = None) -> list[str]:
    """All of a service's handler queues, or the one named by handler, queue or dead queue name."""
    names = handler_queues(bus, service)
    if queue is None:
        return names
    for name in names:
        if queue in (name, f"{name}.dead", name.rpartition(".")[2]):
            return [name]
    raise UnknownQueue(f"{queue}: not a queue of {service} (choose one of "
                       f"{', '.join(n.rpartition('.')[2] for n in names)})")


def list_dead(bus: Bus, services=SERVICES, limit: int = 100) -> list[DeadQueue]:
    """Every handler queue's dead letters (at most `limit` described per queue), left in place."""
    found = []
    with bus.connection() as connection:
        for service in services:
            for queue in handler_queues(bus, service):
                found.append(_peek(bus, connection, queue, limit))
    return found


def replay(bus: Bus, service: str, queue: str | None = None, event_id: str | None = None) -> list[tuple[str, str]]:
    """Put dead letters back on their handler queues: the one with `event_id`, or all of them.

    Returns (queue, event id) of each replayed. Only the letters present when it starts are
    taken, so one that dies again is not replayed in a loop.
    """
    replayed = []
    with bus.connection() as connection:
        producer = connection.Producer()
        for name in pick_queues(bus, service, queue):
            replayed += _replay_queue(bus, connection, producer, name, event_id)
    return replayed


def _replay_queue(bus: Bus, connection: Connection, producer, queue: str, event_id: str | None):
    replayed = []
    with _taken(bus, connection, queue, _depth(connection, f"{queue}.dead")) as messages:
        for message in messages:
            letter = _describe(message)
            if event_id is not None and letter.event_id != event_id:
                continue  # given back to the dead queue when `_taken` ends
            bus.replay(producer, queue, message.body, letter.event_id, f"{queue}.dead",
                       dead_letter_publisher(message, bus.user))
            message.ack()
            replayed.append((queue, letter.event_id))
            if event_id is not None:
                break
    return replayed


def _peek(bus: Bus, connection: Connection, queue: str, limit: int) -> DeadQueue:
    found = DeadQueue(queue=queue, count=_depth(connection, f"{queue}.dead"))
    if found.count:
        with _taken(bus, connection, queue, min(found.count, limit)) as messages:
            found.letters = [_describe(message) for message in messages]
    return found


@contextmanager
def _taken(bus: Bus, connection: Connection, queue: str, most: int):
    """Up to `most` messages of the queue's dead queue, unacknowledged; those still neither acked
    nor rejected at the end are given back in their order (explicitly: the in-process transport
    does not give back what a closing channel held)."""
    dead = bus.dead_letter_queue(queue)
    channel = connection.channel()
    messages = []
    try:
        for _ in range(most):
            message = dead(channel).get(no_ack=False)
            if message is None:
                break
            messages.append(message)
        yield messages
    finally:
        for message in messages:
            if not message.acknowledged:
                message.reject(requeue=True)
        channel.close()


def _depth(connection: Connection, name: str) -> int:
    """How many messages the queue holds; 0 when it was never declared (its worker never ran)."""
    channel = connection.channel()
    try:
        return channel.queue_declare(queue=name, passive=True).message_count
    except connection.channel_errors:
        return 0
    finally:
        with suppress(Exception):  # a passive declare that failed has closed it already
            channel.close()


def _describe(message) -> DeadLetter:
    """What may be shown of a dead letter: ids, type, times and why, never the event's data."""
    try:
        envelope = json.loads(message.body)
        if not isinstance(envelope, dict):
            envelope = {}
    except ValueError:
        envelope = {}
    properties = getattr(message, "properties", {}) or {}
    headers = getattr(message, "headers", None) or properties.get("application_headers") or {}
    event_id = _text(envelope.get("id")) or _text(properties.get("message_id")) or "?"
    reason, attempts, dead_at = _why(headers)
    return DeadLetter(event_id=event_id, type=_text(envelope.get("type")) or "?",
                      time=_text(envelope.get("time")) or "?", dead_at=dead_at, reason=reason,
                      attempts=attempts)


def _why(headers: dict) -> tuple[str, int | None, str]:
    if "x-kx-reason" in headers:
        return (str(headers["x-kx-reason"]), _int(headers.get("x-kx-attempts")),
                _text(headers.get("x-kx-dead-at")) or "?")
    deaths = headers.get("x-death") or []
    if deaths:
        death = deaths[0]
        reason = f"{_text(death.get('reason'))} in {_text(death.get('queue'))} (broker)"
        return reason, _int(death.get("count")), _text(death.get("time")) or "?"
    return "unknown", None, "?"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    if isinstance(value, datetime):
        return value.isoformat()
    return str(value)[:200]


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def render(queues: list[DeadQueue]) -> list[str]:
    """Lines for an operator: each dead queue with its count, then one line per letter."""
    lines = []
    for queue in queues:
        lines.append(f"{queue.name}: {queue.count}")
        for letter in queue.letters:
            attempts = "" if letter.attempts is None else f" after {letter.attempts} attempt(s)"
            lines.append(f"  {letter.event_id}  {letter.type}  event time {letter.time}  "
                         f"dead since {letter.dead_at}{attempts}: {letter.reason}")
        if queue.count > len(queue.letters):
            lines.append(f"  … and {queue.count - len(queue.letters)} more")
    return lines
