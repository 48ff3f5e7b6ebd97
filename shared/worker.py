"""A service's bus worker: its outbox relay, its consumers and its periodic jobs, each in a thread.

`kx worker SERVICE` runs one in its own process; `kx run` runs one per service beside the web
server. Stopping is cooperative: set the event, and the threads finish the message in hand.
"""

from __future__ import annotations

import logging
import threading

from .consumer import Consumer
from .outbox import Relay, wake_relay_after_commit
from .service import Periodic, Runtime

log = logging.getLogger(__name__)


class Worker:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        settings = runtime.settings
        self.relay = Relay(runtime.service, runtime.sessionmaker, runtime.bus, interval=settings.relay_interval)
        self.consumer = Consumer(runtime)
        wake_relay_after_commit(runtime.sessionmaker, self.relay.signal)
        self._threads: list[threading.Thread] = []

    def start(self, stop: threading.Event) -> None:
        name = self.runtime.service.name
        self._threads = [
            threading.Thread(target=self.relay.run, args=(stop,), name=f"{name}-relay", daemon=True),
            threading.Thread(target=self.consumer.run, args=(stop,), name=f"{name}-consumer", daemon=True),
            *(
                threading.Thread(target=self._run_periodic, args=(job, stop), name=f"{name}-{job.name}", daemon=True)
                for job in self.runtime.service.periodic
            ),
        ]
        for thread in self._threads:
            thread.start()

    def _run_periodic(self, job: Periodic, stop: threading.Event) -> None:
        while not stop.is_set():
            try:
                if job.func(self.runtime):
                    continue
            except Exception as error:  # noqa: BLE001 - a failing job is retried next time, never fatal
                log.error("%s %s failed: %s", self.runtime.service.name, job.name, type(error).__name__)
            stop.wait(job.interval)

    def join(self, timeout: float | None = None) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        return self.consumer.ready.wait(timeout)
