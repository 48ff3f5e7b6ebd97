"""Consumers: each handler's queue, handled in a transaction, acked only after it commits.

For every message:
- unknown event type: logged and acked (a newer producer; nothing to do here);
- data failing its schema: dead-lettered at once (retrying cannot fix it);
- published by a service that does not own its type (its AMQP `user_id`,
  shared/events/publishers.py): dead-lettered at once, never handled;
- already in this consumer's inbox: acked (a redelivery);
- otherwise the handler runs with the inbox row in one transaction; after the commit, ack.
  A failure is retried with back-off up to the configured count, then dead-lettered, and the
  consumer goes on with the next message.

Under load the events waiting in hand (up to `batch`, never more than the prefetch) are handled
together in one transaction, each with its own inbox row, and all acked after its commit: one
commit instead of one per event. If a handler fails, the transaction rolls back; that event has
had its first attempt and goes on alone with its retries, as above, and the others are handled
again together. (If the commit itself fails, each event is handled alone.) When events trickle
in, a batch is one event: nothing waits for a batch to fill.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from functools import partial

from sqlalchemy.exc import IntegrityError

from .diagnostics import PING
from .events import InvalidEvent, UnknownEventType, parse
from .events.publishers import refusal
from .inbox import already_handled, first_time
from .service import Handler, Runtime

log = logging.getLogger(__name__)

#: how long to look for one more event to join the batch in hand before handling it, in seconds
GATHER_WAIT = 0.002


class _BatchFailed(Exception):
    """A handler failed inside a batch: which event (its index), or None when the commit failed."""

    def __init__(self, index: int | None, error: Exception):
        super().__init__(type(error).__name__)
        self.index = index
        self.error = error


@dataclass
class _Delivery:
    """A parsed event in hand, not yet handled nor acked."""

    handler: Handler
    queue_name: str
    producer: object
    message: object
    envelope: dict
    data: dict
    #: who published it (shared.bus.Bus.publisher)
    publisher: str | None = None


@dataclass
class _Refused:
    """An event to dead-letter without handling it, once the broker's callbacks have returned."""

    producer: object
    queue_name: str
    message: object
    consumer_name: str
    reason: str
    publisher: str | None


class Consumer:
    def __init__(self, runtime: Runtime, handlers=None, *, prefetch: int = 20, batch: int = 20):
        self.runtime = runtime
        self.bus = runtime.bus
        if handlers is None:
            handlers = (*runtime.service.handlers, PING)
        self.handlers: tuple[Handler, ...] = tuple(handlers)
        self.prefetch = prefetch
        self.batch = max(1, min(batch, prefetch))
        self._in_hand: list[_Delivery] = []
        #: invalid or forged events to dead-letter once the broker's callbacks have returned
        self._invalid: list[_Refused] = []
        self.retries = runtime.settings.bus_retries
        self.retry_delay = runtime.settings.bus_retry_delay
        self._stop = threading.Event()
        self.ready = threading.Event()

    def queues(self):
        service = self.runtime.service.name
        return [self.bus.handler_queue(service, h.name, list(h.events)) for h in self.handlers]

    def subscriptions(self) -> list[tuple[str, str, str]]:
        """(event type, inbox name, queue name) for each event type each handler takes: whoever
        must know whether an event has been handled everywhere (`Embedded.quiet`) reads the inbox
        by the one name and the dead letters by the other."""
        service = self.runtime.service.name
        return [(event_type, self._consumer_name(handler), self.bus.queue_name(service, handler.name))
                for handler in self.handlers for event_type in handler.events]

    def declare(self) -> None:
        """Declare and bind this service's queues without consuming from them (`kx migrate`)."""
        with self.bus.connection() as connection:
            connection.ensure_connection(max_retries=3)
            self.bus.declare(connection, self.queues())

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set, reconnecting with back-off while the broker is away."""
        self._stop = stop
        if not self.handlers:
            self.ready.set()
            stop.wait()
            return
        backoff = 0.1
        while not stop.is_set():
            self._in_hand = []  # unacked on a lost connection: the broker delivers them again
            self._invalid = []
            try:
                with self.bus.connection() as connection:
                    connection.ensure_connection(max_retries=1)
                    queues = self.queues()
                    self.bus.declare(connection, queues)
                    producer = connection.Producer()
                    consumers = [
                        connection.Consumer(
                            queues=[queue],
                            on_message=partial(self._on_message, handler, queue.name, producer),
                            prefetch_count=self.prefetch,
                        )
                        for handler, queue in zip(self.handlers, queues, strict=True)
                    ]
                    for consumer in consumers:
                        consumer.consume()
                    self.ready.set()
                    backoff = 0.1
                    while not stop.is_set():
                        try:
                            connection.drain_events(timeout=GATHER_WAIT if self._in_hand else 0.5)
                        except TimeoutError:
                            self._dead_letter_invalid()
                            if self._in_hand:
                                self._handle_in_hand()
                            else:
                                connection.heartbeat_check()
                            continue
                        self._dead_letter_invalid()
                        if len(self._in_hand) >= self.batch:
                            self._handle_in_hand()
                    self._dead_letter_invalid()
                    self._handle_in_hand()  # stopping: finish what is in hand
            except Exception as error:  # noqa: BLE001 - broker or database away: retry, never die
                log.warning("consumer %s: %s; reconnecting in %.1fs",
                            self.runtime.service.name, type(error).__name__, backoff)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _on_message(self, handler: Handler, queue_name: str, producer, message) -> None:
        consumer_name = self._consumer_name(handler)
        publisher = self.bus.publisher(message)
        try:
            envelope, data = parse(message.body)
        except UnknownEventType as unknown:
            log.info("%s: ignored event of unknown type %s", consumer_name, unknown)
            message.ack()
            return
        except InvalidEvent as invalid:
            # Not published here: waiting for the broker's confirm inside its own delivery
            # callback, on the channel every consumer shares, can stall the whole worker.
            self._invalid.append(_Refused(producer, queue_name, message, consumer_name, _describe(invalid), publisher))
            return
        refused = refusal(publisher, envelope["type"], data)
        if refused is not None:
            self._invalid.append(_Refused(producer, queue_name, message, consumer_name, refused, publisher))
            return
        self._in_hand.append(_Delivery(handler, queue_name, producer, message, envelope, data, publisher))

    def _dead_letter_invalid(self) -> None:
        """Dead-letter the invalid and forged events received (retrying cannot fix them), then ack each."""
        invalid, self._invalid = self._invalid, []
        for event in invalid:
            log.error("%s: dead-lettered invalid event: %s", event.consumer_name, event.reason)
            self.bus.dead_letter(event.producer, event.queue_name, event.message.body, event.reason, attempts=0,
                                 publisher=event.publisher)
            event.message.ack()

    def _handle_in_hand(self) -> None:
        """Handle the events in hand in one transaction; a failing one goes on alone with retries."""
        deliveries, self._in_hand = self._in_hand, []
        failed: list[tuple[_Delivery, Exception]] = []
        while len(deliveries) > 1:
            try:
                self.handle_batch([(d.handler, d.envelope, d.data) for d in deliveries])
            except _BatchFailed as failure:
                if failure.index is None:
                    break  # the commit failed: handle each alone
                failed.append((deliveries.pop(failure.index), failure.error))
                continue
            for delivery in deliveries:
                delivery.message.ack()
            deliveries = []
        for delivery in deliveries:
            self._deliver(delivery)
        for delivery, error in failed:
            self._deliver(delivery, failed_in_batch=error)

    def _deliver(self, delivery: _Delivery, failed_in_batch: Exception | None = None) -> None:
        """Handle one event alone: retried with back-off, then dead-lettered; acked after commit.

        `failed_in_batch`: its handler's first attempt, made in a batch, failed with this."""
        handler, queue_name, producer, message = (delivery.handler, delivery.queue_name, delivery.producer,
                                                  delivery.message)
        envelope, data = delivery.envelope, delivery.data
        consumer_name = self._consumer_name(handler)
        attempt, failure = (1, failed_in_batch) if failed_in_batch is not None else (0, None)
        while True:
            if failure is None:
                attempt += 1
                try:
                    self.handle(handler, consumer_name, envelope, data)
                    message.ack()
                    return
                except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                    failure = error
            reason, failure = _describe(failure), None
            if attempt > self.retries or self._stop.is_set():
                if self._stop.is_set() and attempt <= self.retries:
                    # Shutting down: leave it unacked so the broker delivers it again later.
                    return
                log.error("%s: event %s dead-lettered after %d attempt(s): %s",
                          consumer_name, envelope["id"], attempt, reason)
                self.bus.dead_letter(producer, queue_name, message.body, reason, attempts=attempt,
                                     publisher=delivery.publisher)
                message.ack()
                return
            delay = self.retry_delay * (2 ** (attempt - 1))
            log.warning("%s: event %s failed (%s); retry %d in %.2fs",
                        consumer_name, envelope["id"], reason, attempt, delay)
            self._stop.wait(delay)

    def handle(self, handler: Handler, consumer_name: str, envelope: dict, data: dict) -> bool:
        """Run the handler once for this event; False when it had already been handled."""
        session = self.runtime.session()
        try:
            with session.begin():
                if not first_time(session, consumer_name, envelope["id"]):
                    return False
                if handler.prepare is not None:
                    handler.prepare(session, [data])
                handler.func(session, envelope, data)
            return True
        except IntegrityError:
            # Another worker handled the same event concurrently and committed first.
            with self.runtime.session() as check:
                if already_handled(check, consumer_name, envelope["id"]):
                    return False
            raise
        finally:
            session.close()

    def handle_batch(self, events: list[tuple[Handler, dict, dict]]) -> None:
        """Run each event's handler in one transaction, each with its own inbox row (an event
        already handled, or twice in the batch, runs once; a handler's `prepare` runs once, with
        all of its events). If anything fails, nothing of the batch is committed and
        `_BatchFailed` says which event failed."""
        session = self.runtime.session()
        try:
            session.begin()
            prepared = set()
            for index, (handler, envelope, data) in enumerate(events):
                try:
                    if handler.prepare is not None and handler.name not in prepared:
                        prepared.add(handler.name)
                        handler.prepare(session, [d for h, _, d in events if h.name == handler.name])
                    if first_time(session, self._consumer_name(handler), envelope["id"]):
                        handler.func(session, envelope, data)
                except Exception as error:
                    session.rollback()
                    raise _BatchFailed(index, error) from error
            try:
                session.commit()
            except Exception as error:
                session.rollback()
                raise _BatchFailed(None, error) from error
        finally:
            session.close()

    def _consumer_name(self, handler: Handler) -> str:
        return f"{self.runtime.service.name}.{handler.name}"


def _describe(error: Exception) -> str:
    """A loggable reason: the error's type and, for our own errors, their message.

    Database and library errors can quote row values (names, emails), so only their type is kept.
    """
    if isinstance(error, KeyError | InvalidEvent) or getattr(error, "loggable", False):
        return f"{type(error).__name__}: {error}"
    return type(error).__name__
