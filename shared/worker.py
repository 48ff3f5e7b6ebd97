"""A service's bus worker: its outbox relay, its consumers and its periodic jobs, each in a thread.

`kx worker SERVICE` runs one in its own process; `kx run` runs one per service beside the web
server. Stopping is cooperative: set the event, and the threads finish the message in hand.

A periodic job runs every `interval` seconds, and at once when a transaction of this process that
asked for it (`wake_after_commit(session, job_name)`) commits: a message recorded by a consumer
is sent without waiting for the next poll.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import event
from sqlalchemy.orm import Session

from .consumer import Consumer
from .outbox import Relay, wake_relay_after_commit
from .service import Periodic, Runtime

log = logging.getLogger(__name__)


def wake_after_commit(session: Session, job_name: str) -> None:
    """Run the periodic job `job_name` of this process's worker as soon as this transaction
    commits (nothing happens on rollback, nor in a process without a worker)."""
    session.info.setdefault("kx_wake", set()).add(job_name)


class Worker:
    def __init__(self, runtime: Runtime):
        self.runtime = runtime
        settings = runtime.settings
        self.relay = Relay(runtime.service, runtime.sessionmaker, runtime.bus, interval=settings.relay_interval)
        self.consumer = Consumer(runtime)
        wake_relay_after_commit(runtime.sessionmaker, self.relay.signal)
        self._wake = {job.name: threading.Event() for job in runtime.service.periodic}
        self._wake_jobs_after_commit(runtime.sessionmaker)
        self._threads: list[threading.Thread] = []
        #: jobs started but not yet through their first run (a start-up announcement not yet made)
        self._first_runs_pending: set[str] = set()

    def _wake_jobs_after_commit(self, sessionmaker) -> None:
        @event.listens_for(sessionmaker, "after_commit")
        def _after_commit(session):
            for name in session.info.pop("kx_wake", ()):
                if name in self._wake:
                    self._wake[name].set()

        @event.listens_for(sessionmaker, "after_rollback")
        def _after_rollback(session):
            session.info.pop("kx_wake", None)

    def start(self, stop: threading.Event) -> None:
        """The consumer, the relay and the periodic jobs (`kx worker`)."""
        self.start_consuming(stop)
        self.start_relaying(stop)

    def start_consuming(self, stop: threading.Event) -> None:
        """The consumer alone: it declares and binds its queues (`ready` once they are)."""
        name = self.runtime.service.name
        self._start([
            threading.Thread(target=self.consumer.run, args=(stop,), name=f"{name}-consumer", daemon=True),
            threading.Thread(target=self._wake_all_on, args=(stop,), name=f"{name}-stopper", daemon=True),
        ])

    def start_relaying(self, stop: threading.Event) -> None:
        """The outbox relay and the periodic jobs, which publish."""
        name = self.runtime.service.name
        self._first_runs_pending |= {job.name for job in self.runtime.service.periodic}
        self._start([
            threading.Thread(target=self.relay.run, args=(stop,), name=f"{name}-relay", daemon=True),
            *(
                threading.Thread(target=self._run_periodic, args=(job, stop), name=f"{name}-{job.name}", daemon=True)
                for job in self.runtime.service.periodic
            ),
        ])

    def _start(self, threads: list[threading.Thread]) -> None:
        self._threads += threads
        for thread in threads:
            thread.start()

    def _run_periodic(self, job: Periodic, stop: threading.Event) -> None:
        wake = self._wake[job.name]
        while not stop.is_set():
            wake.clear()  # before looking: a commit landing during the run is not left for the next poll
            try:
                if job.func(self.runtime):
                    continue
            except Exception as error:  # noqa: BLE001 - a failing job is retried next time, never fatal
                log.error("%s %s failed: %s", self.runtime.service.name, job.name, type(error).__name__)
            finally:
                self._first_runs_pending.discard(job.name)
            wake.wait(job.interval)

    def first_runs_done(self) -> bool:
        """Whether every periodic job started has run once: what a job emits at start-up (such as
        registration's announcement of the programme's end) is in the outbox by then."""
        return not self._first_runs_pending

    def _wake_all_on(self, stop: threading.Event) -> None:
        """Stopping wakes every job, so none sleeps out its interval first."""
        stop.wait()
        for wake in self._wake.values():
            wake.set()

    def join(self, timeout: float | None = None) -> None:
        for thread in self._threads:
            thread.join(timeout)

    def wait_ready(self, timeout: float = 10.0) -> bool:
        return self.consumer.ready.wait(timeout)
