"""The embedded default: all four services in one process, on SQLite files and the in-process bus.

One WSGI server (waitress) serves the four apps by path prefix; each service's worker (relay and
consumers) runs in threads beside it. Stopping (Ctrl-C or SIGTERM) closes the server, lets the
relays publish what is committed and the consumers handle what is queued, then stops.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
import time

from sqlalchemy import select
from werkzeug.utils import redirect

from .bootstrap import prepare
from .bus import Bus
from .config import Settings
from .dead_letters import list_dead
from .registry import create_app, load_service
from .service import Runtime
from .worker import Worker

log = logging.getLogger(__name__)


class PrefixDispatcher:
    """Routes a request to the app whose prefix starts its path; the path is left unchanged."""

    def __init__(self, apps: dict[str, object], home: str = "/registration/"):
        self.apps = apps
        self.home = home

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "") or "/"
        if path == "/":
            return redirect(self.home)(environ, start_response)
        for prefix, app in self.apps.items():
            if path == prefix or path.startswith(prefix + "/"):
                return app(environ, start_response)
        # Unknown prefixes get the catalogue's own "page not found".
        return next(iter(self.apps.values()))(environ, start_response)


class Embedded:
    def __init__(self, settings: Settings):
        self.settings = settings
        self.runtimes = {name: Runtime(load_service(name), settings) for name in settings.database_urls}
        self.stop = threading.Event()
        self.workers = [Worker(runtime) for runtime in self.runtimes.values()]
        self.app = PrefixDispatcher(
            {f"/{name}": create_app(name, {"KX_RUNTIME": runtime}) for name, runtime in self.runtimes.items()}
        )

    def start_workers(self) -> None:
        """Every consumer's queues exist before any relay publishes: the in-process transport, like
        a broker, drops a message that no queue is bound for, so the demo programme's events,
        published at start-up, would otherwise miss the services that start later."""
        for worker in self.workers:
            worker.start_consuming(self.stop)
        for worker in self.workers:
            worker.wait_ready()
        for worker in self.workers:
            worker.start_relaying(self.stop)

    def shutdown(self, grace: float = 5.0) -> None:
        """Publish what is committed and handle what is queued (within `grace`), then stop."""
        deadline = time.monotonic() + grace
        while time.monotonic() < deadline and not self.quiet():
            time.sleep(0.05)
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=5)
        for runtime in self.runtimes.values():
            runtime.dispose()

    def quiet(self) -> bool:
        """Whether every event is published and handled (or dead-lettered) by every handler
        subscribed to it, so the projections it feeds are up to date.

        Empty queues would not say so: a message a consumer has taken but not yet committed is in
        no queue. The inboxes do: a handler's inbox row commits with its work and with the events
        that work emits, and a consumer dead-letters before it acks. Reading the inboxes before the
        outboxes makes this exact: whatever an inbox shows as handled, its consequences are
        already in an outbox by the time the outboxes are read. A periodic job that has not yet made
        its first run may still emit (a loaded machine can start it late), so until then it is not
        quiet either."""
        if not all(worker.first_runs_done() for worker in self.workers):
            return False
        handled = self._handled()
        subscribers: dict[str, list[str]] = {}
        for worker in self.workers:
            for event_type, consumer, _queue in worker.consumer.subscriptions():
                subscribers.setdefault(event_type, []).append(consumer)
        awaited = set()
        for runtime in self.runtimes.values():
            outbox = runtime.service.outbox
            with runtime.session() as session:
                for event_id, event_type, sent_at in session.execute(
                        select(outbox.event_id, outbox.type, outbox.sent_at)):
                    if sent_at is None:
                        return False
                    awaited |= {(consumer, event_id) for consumer in subscribers.get(event_type, ())}
        missing = awaited - handled
        # Dead letters are looked up only when needed (they are rare, and peeking costs a round trip
        # per queue); read after the outboxes, they still settle it, as a delivery ends either
        # handled or dead-lettered, never both.
        return not missing or missing <= self._dead_lettered()

    def _handled(self) -> set[tuple[str, str]]:
        """(consumer, event id) of every event handled, from every service's inbox."""
        handled = set()
        for runtime in self.runtimes.values():
            inbox = runtime.service.inbox
            with runtime.session() as session:
                handled |= {tuple(row) for row in session.execute(select(inbox.consumer, inbox.event_id))}
        return handled

    def _dead_lettered(self) -> set[tuple[str, str]]:
        """(consumer, event id) of every event a consumer gave up on, from its dead-letter queue."""
        consumers = {queue: consumer for worker in self.workers
                     for _type, consumer, queue in worker.consumer.subscriptions()}
        bus = Bus.from_settings(self.settings)
        return {(consumers[dead.queue], letter.event_id)
                for dead in list_dead(bus, list(self.runtimes), limit=sys.maxsize)
                for letter in dead.letters if dead.queue in consumers}


def serve(settings: Settings, host: str = "127.0.0.1") -> None:
    from waitress import create_server

    prepare(settings)
    embedded = Embedded(settings)
    embedded.start_workers()
    server = create_server(embedded.app, host=host, port=settings.port, threads=8, ident="kx")

    def _terminate(_signum, _frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _terminate)
    print(f"kx is running at http://{host}:{settings.port}/ (Ctrl-C to stop)", flush=True)
    try:
        server.run()
    except KeyboardInterrupt:
        pass
    finally:
        server.close()
        print("kx: stopping; publishing and handling what is left…", flush=True)
        embedded.shutdown()
        print("kx: stopped.", flush=True)
