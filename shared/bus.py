"""The one bus wrapper: names, topology and publishing over kombu.

The same code drives RabbitMQ (`amqp://`) and the embedded in-process transport (`memory://`).
Bodies are JSON text on both, so nothing passes in the embedded setup that would not survive the
real broker.

Topology, under a namespace (default `kx`):
- `kx.events`: durable topic exchange; routing key = event type.
- `kx.<service>.<handler>`: one durable queue per handler (quorum on RabbitMQ), bound to the
  event types it handles, dead-lettering into `kx.dead` once RabbitMQ's delivery limit is passed
  (the safety net for a message that crashes its worker every time).
- `kx.dead`: direct exchange; `kx.<service>.<handler>.dead` holds that queue's dead letters,
  where an operator can inspect and replay them.

Who sent a message: every message carries the AMQP `user_id` of its publisher (`Bus.user`). On
RabbitMQ that is the connection's user, which the broker checks, and each service connects as its
own user (shared/bus_users.py); in process it is the service's name. Consumers refuse an event
whose publisher does not own its type (shared/events/publishers.py). A dead letter keeps who had
sent it in `x-kx-publisher`, so that a replay by the service's own operator is still judged by
the original publisher (shared/dead_letters.py).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import unquote, urlsplit

from kombu import Connection, Exchange, Queue, binding

log = logging.getLogger(__name__)

#: after this many redeliveries RabbitMQ itself dead-letters a message (crash loops)
DELIVERY_LIMIT = 10


@dataclass(frozen=True)
class Bus:
    url: str
    namespace: str = "kx"
    #: the service that publishes and consumes through it ("" for an operator's tools)
    service: str = ""

    @classmethod
    def from_settings(cls, settings, service: str = "") -> Bus:
        url = settings.broker_url_of(service) if service else settings.broker_url
        return cls(url=url, namespace=settings.bus_namespace, service=service)

    @property
    def in_process(self) -> bool:
        return self.url.startswith("memory://")

    @property
    def user(self) -> str:
        """The `user_id` its messages carry: the connection's user on RabbitMQ (which must match it),
        the service's name in process."""
        if self.in_process:
            return self.service
        return unquote(urlsplit(self.url).username or "guest")

    def _sender(self) -> dict:
        return {"user_id": self.user} if self.user else {}

    @property
    def events(self) -> Exchange:
        return Exchange(f"{self.namespace}.events", type="topic", durable=True)

    @property
    def dead(self) -> Exchange:
        return Exchange(f"{self.namespace}.dead", type="direct", durable=True)

    def connection(self) -> Connection:
        if self.in_process:
            # Poll often: the in-process transport has no push, and this is the embedded latency.
            return Connection(self.url, transport_options={"polling_interval": 0.005})
        return Connection(
            self.url,
            heartbeat=30,
            connect_timeout=5,
            transport_options={"confirm_publish": True},
        )

    def queue_name(self, service: str, handler: str) -> str:
        return f"{self.namespace}.{service}.{handler}"

    def handler_queue(self, service: str, handler: str, event_types: list[str]) -> Queue:
        name = self.queue_name(service, handler)
        arguments = {}
        if not self.in_process:
            arguments = {
                "x-queue-type": "quorum",
                "x-delivery-limit": DELIVERY_LIMIT,
                "x-dead-letter-exchange": self.dead.name,
                "x-dead-letter-routing-key": name,
            }
        return Queue(
            name,
            bindings=[binding(self.events, routing_key=t) for t in event_types],
            durable=True,
            queue_arguments=arguments,
        )

    def dead_letter_queue(self, queue_name: str) -> Queue:
        arguments = {} if self.in_process else {"x-queue-type": "quorum"}
        return Queue(
            f"{queue_name}.dead",
            exchange=self.dead,
            routing_key=queue_name,
            durable=True,
            queue_arguments=arguments,
        )

    def declare(self, connection: Connection, queues: list[Queue]) -> None:
        channel = connection.default_channel
        self.events(channel).declare()
        self.dead(channel).declare()
        for queue in queues:
            queue(channel).declare()
            self.dead_letter_queue(queue.name)(channel).declare()

    def publish(self, producer, envelope_json: str, event_type: str, event_id: str) -> None:
        """Publish one event persistently; returns once the broker has confirmed it."""
        producer.publish(
            envelope_json,
            exchange=self.events,
            routing_key=event_type,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=event_id,
            retry=False,  # the relay owns retrying: a failed publish leaves the row unsent
            **self._sender(),
        )

    def dead_letter(self, producer, queue_name: str, body: bytes | str, reason: str, attempts: int,
                    publisher: str | None = None) -> None:
        """Move a message to its queue's dead-letter queue, with why (never personal data) and who
        had published it (its `user_id`)."""
        producer.publish(
            body if isinstance(body, str) else body.decode("utf-8", errors="replace"),
            exchange=self.dead,
            routing_key=queue_name,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            headers={"x-kx-reason": reason[:500], "x-kx-attempts": attempts, "x-kx-queue": queue_name,
                     "x-kx-dead-at": datetime.now(UTC).isoformat(timespec="seconds"),
                     "x-kx-publisher": publisher or ""},
            declare=[self.dead_letter_queue(queue_name)],
            retry=True,
            retry_policy={"max_retries": 5, "interval_start": 0.2, "interval_step": 0.5},
            **self._sender(),
        )

    def replay(self, producer, queue_name: str, body: bytes | str, event_id: str, dead_queue: str,
               publisher: str | None) -> None:
        """Put a dead letter back on its handler queue alone (not to every queue bound to its type),
        saying who had published it; returns once the broker has confirmed it."""
        producer.publish(
            body if isinstance(body, str) else body.decode("utf-8", errors="replace"),
            exchange="",  # the default exchange routes by queue name
            routing_key=queue_name,
            content_type="application/json",
            content_encoding="utf-8",
            delivery_mode=2,
            message_id=event_id,
            headers={"x-kx-replayed-from": dead_queue, "x-kx-publisher": publisher or ""},
            retry=False,  # the caller acks the dead copy only after this returns
            **self._sender(),
        )

    def publisher(self, message) -> str | None:
        """Who published a message this service consumes: its `user_id`, except for a dead letter
        replayed by this service itself, which says who had published it when it died."""
        user, headers = _user_and_headers(message)
        if user and user == self.user and headers.get("x-kx-replayed-from"):
            return _text(headers.get("x-kx-publisher"))
        return user

    def check(self) -> str:
        """'ok', or a short reason the broker cannot be reached (for healthz)."""
        if self.in_process:
            return "ok"
        try:
            with Connection(self.url, connect_timeout=2) as conn:
                conn.ensure_connection(max_retries=1, timeout=2)
            return "ok"
        except Exception as error:  # noqa: BLE001 - any failure means "down"
            return f"unreachable ({type(error).__name__})"


def dead_letter_publisher(message, own_user: str) -> str | None:
    """Who had published a dead letter: recorded by the consumer that dead-lettered it (whose own
    `user_id` it carries), or, for one RabbitMQ dead-lettered past the delivery limit, the original
    `user_id`, which the broker keeps. A letter put in the dead queue by anyone else is its own
    publisher's, so replaying it cannot launder a forged event."""
    user, headers = _user_and_headers(message)
    if user and user == own_user and "x-kx-reason" in headers:
        return _text(headers.get("x-kx-publisher"))
    return user


def _user_and_headers(message) -> tuple[str | None, dict]:
    properties = getattr(message, "properties", None) or {}
    headers = getattr(message, "headers", None) or properties.get("application_headers") or {}
    return _text(properties.get("user_id")), headers


def _text(value) -> str | None:
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return value or None


def dumps(envelope: dict) -> str:
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, sort_keys=True)
