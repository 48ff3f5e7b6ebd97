"""Consumers: each handler's queue, handled in a transaction, acked only after it commits.

For every message:
- unknown event type: logged and acked (a newer producer; nothing to do here);
- data failing its schema: dead-lettered at once (retrying cannot fix it);
- already in this consumer's inbox: acked (a redelivery);
- otherwise the handler runs with the inbox row in one transaction; after the commit, ack.
  A failure is retried with back-off up to the configured count, then dead-lettered, and the
  consumer goes on with the next message.
"""

from __future__ import annotations

import logging
import threading
from functools import partial

from sqlalchemy.exc import IntegrityError

from .diagnostics import PING
from .events import InvalidEvent, UnknownEventType, parse
from .inbox import already_handled, first_time
from .service import Handler, Runtime

log = logging.getLogger(__name__)


class Consumer:
    def __init__(self, runtime: Runtime, handlers=None, *, prefetch: int = 20):
        self.runtime = runtime
        self.bus = runtime.bus
        if handlers is None:
            handlers = (*runtime.service.handlers, PING)
        self.handlers: tuple[Handler, ...] = tuple(handlers)
        self.prefetch = prefetch
        self.retries = runtime.settings.bus_retries
        self.retry_delay = runtime.settings.bus_retry_delay
        self._stop = threading.Event()
        self.ready = threading.Event()

    def queues(self):
        service = self.runtime.service.name
        return [self.bus.handler_queue(service, h.name, list(h.events)) for h in self.handlers]

    def run(self, stop: threading.Event) -> None:
        """Consume until `stop` is set, reconnecting with back-off while the broker is away."""
        self._stop = stop
        if not self.handlers:
            self.ready.set()
            stop.wait()
            return
        backoff = 0.1
        while not stop.is_set():
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
                            connection.drain_events(timeout=0.5)
                        except TimeoutError:
                            connection.heartbeat_check()
            except Exception as error:  # noqa: BLE001 - broker or database away: retry, never die
                log.warning("consumer %s: %s; reconnecting in %.1fs",
                            self.runtime.service.name, type(error).__name__, backoff)
                stop.wait(backoff)
                backoff = min(backoff * 2, 5.0)

    def _on_message(self, handler: Handler, queue_name: str, producer, message) -> None:
        consumer_name = f"{self.runtime.service.name}.{handler.name}"
        try:
            envelope, data = parse(message.body)
        except UnknownEventType as unknown:
            log.info("%s: ignored event of unknown type %s", consumer_name, unknown)
            message.ack()
            return
        except InvalidEvent as invalid:
            log.error("%s: dead-lettered invalid event: %s", consumer_name, invalid)
            self.bus.dead_letter(producer, queue_name, message.body, str(invalid), attempts=0)
            message.ack()
            return

        attempt = 0
        while True:
            attempt += 1
            try:
                self.handle(handler, consumer_name, envelope, data)
                message.ack()
                return
            except Exception as error:  # noqa: BLE001 - any handler failure is retried, then dead-lettered
                reason = _describe(error)
                if attempt > self.retries or self._stop.is_set():
                    if self._stop.is_set() and attempt <= self.retries:
                        # Shutting down: leave it unacked so the broker delivers it again later.
                        return
                    log.error("%s: event %s dead-lettered after %d attempt(s): %s",
                              consumer_name, envelope["id"], attempt, reason)
                    self.bus.dead_letter(producer, queue_name, message.body, reason, attempts=attempt)
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


def _describe(error: Exception) -> str:
    """A loggable reason: the error's type and, for our own errors, their message.

    Database and library errors can quote row values (names, emails), so only their type is kept.
    """
    if isinstance(error, KeyError | InvalidEvent) or getattr(error, "loggable", False):
        return f"{type(error).__name__}: {error}"
    return type(error).__name__
