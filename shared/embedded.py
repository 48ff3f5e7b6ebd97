"""The embedded default: all four services in one process, on SQLite files and the in-process bus.

One WSGI server (waitress) serves the four apps by path prefix; each service's worker (relay and
consumers) runs in threads beside it. Stopping (Ctrl-C or SIGTERM) closes the server, lets the
relays publish what is committed and the consumers handle what is queued, then stops.
"""

from __future__ import annotations

import logging
import signal
import threading
import time

from werkzeug.utils import redirect

from .bootstrap import prepare
from .config import Settings
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
        while time.monotonic() < deadline and not self._quiet():
            time.sleep(0.05)
        self.stop.set()
        for worker in self.workers:
            worker.join(timeout=5)
        for runtime in self.runtimes.values():
            runtime.dispose()

    def _quiet(self) -> bool:
        from kombu.transport.memory import Channel
        from sqlalchemy import func, select

        if any(queue.qsize() for queue in Channel.queues.values()):
            return False
        for runtime in self.runtimes.values():
            outbox = runtime.service.outbox
            with runtime.session() as session:
                if session.scalar(select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None))):
                    return False
        return True


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
