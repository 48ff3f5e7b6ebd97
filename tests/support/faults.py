"""The distributed setup as real processes, for the fault tests: `kx web registration`, `kx worker`s,
an SMTP sink, on PostgreSQL and RabbitMQ; applicants as HTTP clients; and the figures of each run,
written to `test-artifacts/reliability/<test>.json` for RELIABILITY.md to quote.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import import_module
from pathlib import Path

from kombu import Connection
from sqlalchemy import create_engine, func, select, text

from services.notifications.tests.mailserver import MailServer
from shared.config import load
from shared.registry import load_service
from shared.service import Runtime
from shared.testing import (
    POSTGRES_URL,
    delete_bus_namespace,
    distributed_env,
    free_port,
    staff_token,
    wait_until,
)
from tests.support.processes import Processes, http, wait_for_http

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "reliability"
CONFIRMED_SUBJECT = "Your place is confirmed"
#: messages the SMTP server accepted but the sender had not yet marked when it died: they go out
#: again (with the same Message-ID); the sender marks this many at a time
RESENT_AT_MOST_PER_CRASH = getattr(import_module("services.notifications.operations.sending"), "MARK_EVERY", 1)
#: the SMTP sink answers at once, so a short timeout; and the shortest lease the sender then allows
#: (it starts a message only with twice the timeout left), so a killed worker's claims come back
#: within seconds rather than the five minutes of production
SMTP_TIMEOUT = 5
LEASE = 2 * SMTP_TIMEOUT + 2


def record(test: str, figures: dict) -> dict:
    """Write a test's figures where RELIABILITY.md expects them; returns them."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    figures = {"test": test, "finished_at": datetime.now(UTC).isoformat(timespec="seconds"), **figures}
    (ARTIFACTS / f"{test}.json").write_text(json.dumps(figures, indent=2, sort_keys=True) + "\n")
    return figures


def rabbitmqctl(*args: str) -> None:
    subprocess.run(["rabbitmqctl", "-q", *args], check=True, capture_output=True, timeout=120)


@dataclass
class Answer:
    """What one applicant got in the end, and what it took."""

    number: int
    email: str
    body: dict | None = None
    #: every status seen before the final one (0 = no answer: connection lost)
    failures: list[int] = field(default_factory=list)


class Cluster:
    """kx as docker-compose runs it, each process real; the test process only observes (and breaks)."""

    def __init__(self, rabbitmq: str, pg_schemas, tmp_path: Path, **env: str):
        self.mail = MailServer().__enter__()
        #: every kx process's PostgreSQL connections carry it, so a test can cut exactly those
        self.application_name = f"kxfault{uuid.uuid4().hex[:8]}"
        self.env = distributed_env(rabbitmq, pg_schemas, tmp_path / "var", KX_SMTP_URL=self.mail.url,
                                   KX_APPLY_RATE_LIMIT="0", KX_PUBLIC_URL="https://kx.example.org",
                                   KX_SMTP_TIMEOUT=str(SMTP_TIMEOUT), KX_MAIL_LEASE=str(LEASE),
                                   PGAPPNAME=self.application_name, **env)
        self.settings = load(self.env)
        self.processes = Processes(self.env, tmp_path)
        self.admin = staff_token(self.settings, {"admin": []})
        self._runtimes: dict[str, Runtime] = {}
        self.base = ""
        migrated = self.processes.run("migrate")
        assert migrated.returncode == 0, migrated.stderr

    def __enter__(self) -> Cluster:
        return self

    def __exit__(self, *exc) -> None:
        self.processes.stop_all()
        for runtime in self._runtimes.values():
            runtime.dispose()
        delete_bus_namespace(self.settings)
        self.mail.__exit__()

    # --- processes -------------------------------------------------------------------------------

    def start_web(self, workers: int = 2) -> str:
        port = free_port()
        self.processes.start("web", "registration", "--port", str(port), "--host", "127.0.0.1",
                             "--workers", str(workers))
        self.base = f"http://127.0.0.1:{port}/registration"
        wait_for_http(f"{self.base}/healthz", timeout=60)
        return self.base

    def start_worker(self, service: str) -> subprocess.Popen:
        """Start `kx worker SERVICE` and wait until its queues exist (events before that are unroutable)."""
        process = self.processes.start("worker", service)
        for handler in (*load_service(service).handlers, None):
            name = self.settings.bus_namespace + f".{service}." + (handler.name if handler else "ping")
            wait_until(lambda name=name: self.queue_exists(name), timeout=60, interval=0.1,
                       message=f"queue {name} to be declared")
        return process

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        """SIGKILL: no clean-up, no finishing the message in hand."""
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    # --- the broker and the databases ------------------------------------------------------------

    def queue_exists(self, name: str) -> bool:
        try:
            self.queue_state(name)
            return True
        except Exception:  # noqa: BLE001 - not declared yet, or the broker is away
            return False

    def queue_state(self, name: str):
        """(messages, consumers) of a queue, as the broker counts them."""
        with Connection(self.settings.broker_url, connect_timeout=2) as connection:
            ok = connection.default_channel.queue_declare(queue=name, passive=True)
            return ok.message_count, ok.consumer_count

    def runtime(self, service: str) -> Runtime:
        if service not in self._runtimes:
            self._runtimes[service] = Runtime(load_service(service), self.settings)
        return self._runtimes[service]

    def unsent(self, *services: str) -> int:
        """Outbox rows not yet confirmed by the broker, over the services named."""
        total = 0
        for name in services:
            outbox = load_service(name).outbox
            with self.runtime(name).session() as session:
                total += session.scalar(select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None)))
        return total

    def count(self, service: str, model, *where) -> int:
        with self.runtime(service).session() as session:
            return session.scalar(select(func.count()).select_from(model).where(*where))

    def confirmed_emails(self) -> list[str]:
        """The applicants' emails of every confirmed booking, as registration holds them."""
        from services.registration.models import Booking

        with self.runtime("registration").session() as session:
            return list(session.scalars(select(Booking.email_folded).where(Booking.status == "confirmed")))

    def terminate_backends(self) -> int:
        """`pg_terminate_backend` on every PostgreSQL connection of this cluster's processes."""
        engine = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
        try:
            with engine.connect() as connection:
                return len(connection.execute(
                    text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = :name"),
                    {"name": self.application_name}).all())
        finally:
            engine.dispose()

    # --- mail ------------------------------------------------------------------------------------

    def mail_counts(self, subject_prefix: str = "") -> tuple[Counter, Counter]:
        """(per recipient, per Message-ID) counts of what the SMTP sink accepted."""
        received = [r for r in list(self.mail.received) if r.email["Subject"].startswith(subject_prefix)]
        return (Counter(r.recipients[0] for r in received),
                Counter(r.email["Message-ID"] for r in received))

    # --- the programme and its applicants --------------------------------------------------------

    def add_exchange(self, capacity: int, title: str = "Crisis care in the community") -> int:
        status, body = http("POST", f"{self.base}/api/themes", token=self.admin, body=json.dumps(
            {"code": "T1", "title": "Transforming the community mental health system"}).encode())
        assert status in (201, 409, 422), body  # the theme may exist from an earlier exchange
        starts = datetime.now(UTC).replace(microsecond=0) + timedelta(days=60)
        exchange = {
            "title": title, "theme": "T1", "host": {"name": "Example Valleys Health Board"},
            "location": {"site": "Example Community Hub", "town": "Aberystwyth"},
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=4)).isoformat(),
            "capacity": capacity, "booking_closes_at": (starts - timedelta(days=10)).isoformat(),
            "description": "An illustrative exchange.",
        }
        status, body = http("POST", f"{self.base}/api/exchanges", token=self.admin, body=json.dumps(exchange).encode())
        assert status == 201, body
        return json.loads(body)["id"]

    def apply(self, number: int, exchange_ids: list[int], deadline: float, tag: str = "") -> Answer:
        """One applicant, retrying with the same Idempotency-Key until answered 201 or out of time.

        Only a lost connection or a 5xx/409 (the key's twin still in flight) is retried: any other
        answer is final, and is what the test judges.
        """
        answer = Answer(number=number, email=f"applicant{number}{tag}@example.org")
        body = json.dumps({
            "applicant": {"name": f"Applicant {number} Example", "email": answer.email, "organisation": "Example Trust",
                          "role": "Nurse", "participant_type": "occupation", "stakeholder_group": "health",
                          "language": "en", "access_needs": ""},
            "exchange_ids": exchange_ids, "line_manager_permission": "yes", "will_attend_sessions": True,
            "privacy_notice_accepted": True}).encode()
        key = f"fault-{uuid.uuid4().hex}"
        while True:
            status, raw = http("POST", f"{self.base}/api/applications", body=body, timeout=15,
                               headers={"Idempotency-Key": key})
            if status == 201:
                answer.body = json.loads(raw)
                return answer
            answer.failures.append(status)
            if (status and status < 500 and status != 409) or time.monotonic() > deadline:
                return answer
            time.sleep(0.2)

    def apply_many(self, count: int, exchange_ids: list[int], clients: int = 4, timeout: float = 120,
                   pace: float = 0.0, progress: list | None = None, tag: str = "") -> list[Answer]:
        """`count` applicants over `clients` concurrent connections, each pausing `pace` s between
        applications; `progress` (a list) gets each answer as it comes, for a test to act mid-stream."""
        deadline = time.monotonic() + timeout
        answers: list[Answer] = [None] * count  # type: ignore[list-item]
        progress = progress if progress is not None else []

        def client(first: int) -> None:
            for number in range(first, count, clients):
                answers[number] = self.apply(number, exchange_ids, deadline, tag)
                progress.append(answers[number])
                time.sleep(pace)

        threads = [threading.Thread(target=client, args=(c,)) for c in range(clients)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        return answers


def summarise(answers: list[Answer]) -> dict:
    """Figures of a stream of applications: answered, failures seen on the way, by status."""
    failures = Counter(str(status) for answer in answers for status in answer.failures)
    statuses = Counter(b["status"] for a in answers if a.body for b in a.body["bookings"])
    return {"applications_sent": len(answers), "applications_accepted": sum(1 for a in answers if a.body),
            "bookings": dict(statuses), "failed_attempts_by_status": dict(failures),
            "applications_retried": sum(1 for a in answers if a.failures)}
