"""Benchmark: booking events in through the real RabbitMQ, emails out to a local SMTP server.

    .venv/bin/python benchmarks/notify.py [--events 2000] [--rate 50] [--latency-events 500]

For one worker, then two (each `kx worker notifications` equivalent in its own process: relay,
consumers, the send and remind jobs), on a fresh PostgreSQL schema and bus namespace (removed at
the end), with an aiosmtpd server in this process that notes when it accepts each message:
1. throughput: `--events` confirmed-booking events published at once (a backlog) -> messages/s
   from the first publish to the last SMTP accept;
2. latency at a steady rate: `--latency-events` events at `--rate` events/s -> p50/p99 from the
   event's publish to the SMTP server's accept of its message.
Each event becomes one confirmation (plain text, HTML and `.ics`), rendered by the consumer and
sent by the send job. Also reports the CPU time per message during the throughput run (from
/proc, `benchmarks/_cpu.py`) of the workers, which a busy machine does not distort the way it
distorts wall-clock rates, and of PostgreSQL, RabbitMQ and this process (the SMTP server and the
publisher), with how busy the machine was: on a small machine they share its cores with the
workers, which bounds what a second worker can add. And the load average at the end. Prints a table and writes benchmarks/results/notify.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aiosmtpd.controller import Controller  # noqa: E402
from sqlalchemy import create_engine, text  # noqa: E402

from benchmarks._cpu import snapshot, spent  # noqa: E402
from services.notifications.service import SERVICE  # noqa: E402
from shared.bus import Bus, dumps  # noqa: E402
from shared.bus_users import as_user  # noqa: E402
from shared.config import load  # noqa: E402
from shared.consumer import Consumer  # noqa: E402
from shared.events import BOOKING_CONFIRMED, make_envelope  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.service import Runtime  # noqa: E402
from shared.testing import (  # noqa: E402
    POSTGRES_URL,
    RABBITMQ_URL,
    TEST_BUS_PASSWORDS,
    TEST_SECRET,
    create_bus_users,
    delete_bus_namespace,
    free_port,
    schema_url,
)

STARTS = datetime.now(UTC).replace(microsecond=0) + timedelta(days=60)


class Accepts:
    """aiosmtpd handler: when each recipient's message was accepted (wall clock)."""

    def __init__(self):
        self.at: dict[str, float] = {}
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        now = time.time()
        with self.lock:
            for rcpt in envelope.rcpt_tos:
                self.at.setdefault(rcpt, now)
        return "250 OK"

    def count(self, prefix: str) -> int:
        with self.lock:
            return sum(1 for r in self.at if r.startswith(prefix))


def booking(n: int, tag: str, base: int) -> dict:
    brief = {
        "title": "Crisis care in the community", "starts_at": STARTS.isoformat(),
        "ends_at": (STARTS + timedelta(hours=6)).isoformat(),
        "location": {"site": "Example Community Hospital", "town": "Aberystwyth"},
        "host": {"name": "Example Health Board"},
        "orientation": {"starts_at": (STARTS - timedelta(days=14)).isoformat(), "url": "https://meet.example.org/o"},
        "reflection": {"starts_at": (STARTS + timedelta(days=14)).isoformat(), "url": "https://meet.example.org/r"},
    }
    return {"booking_id": base + n, "exchange_id": 1, "application_id": base + n, "waitlist_position": None,
            "applicant": {"name": "Alex Example", "email": f"{tag}{n}@example.org", "language": "en",
                          "participant_type": "occupation"},
            "exchange": brief, "manage_url": f"/registration/manage/tok-{n}"}


def publish(runtime: Runtime, events: list[tuple[str, dict]], rate: float | None) -> dict[str, float]:
    """Publish each event (persistent, confirmed); returns recipient -> publish time."""
    published: dict[str, float] = {}
    start = time.time()
    bus = Bus.from_settings(runtime.settings, "registration")  # consumers take bookings from registration only
    with bus.connection() as connection:
        producer = connection.Producer()
        for index, (recipient, data) in enumerate(events):
            if rate:
                wait = start + index / rate - time.time()
                if wait > 0:
                    time.sleep(wait)
            body = dumps(make_envelope("registration", BOOKING_CONFIRMED, data))
            published[recipient] = time.time()
            bus.publish(producer, body, BOOKING_CONFIRMED, recipient)
    return published


def start_workers(env: dict, count: int) -> list[subprocess.Popen]:
    """Start `count` worker processes and wait until each one consumes (imports and connections
    are not measured)."""
    ready = Path(env["KX_VAR_DIR"]) / f"ready-{uuid.uuid4().hex[:8]}"
    ready.mkdir(parents=True)
    procs = [subprocess.Popen([sys.executable, __file__, "worker", str(ready)], env={**os.environ, **env}, cwd=ROOT,
                              start_new_session=True) for _ in range(count)]
    deadline = time.time() + 120
    while len(list(ready.iterdir())) < count:
        if time.time() > deadline or any(proc.poll() is not None for proc in procs):
            stop_workers(procs)
            raise SystemExit("the workers did not start")
        time.sleep(0.1)
    return procs


def stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        proc.terminate()
    for proc in procs:
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def groups(procs: list[subprocess.Popen]) -> dict[str, int]:
    """The workers' process groups, for `benchmarks/_cpu.py` (each worker starts its own)."""
    return {f"worker {n}": proc.pid for n, proc in enumerate(procs, start=1)}


def wait_for(accepts: Accepts, prefix: str, expected: int, timeout: float) -> None:
    deadline = time.time() + timeout
    while accepts.count(prefix) < expected:
        if time.time() > deadline:
            raise SystemExit(f"timed out: {accepts.count(prefix)} of {expected} messages arrived")
        time.sleep(0.05)


def percentile(values: list[float], pct: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(pct / 100 * (len(ordered) - 1))))]


def run(args) -> dict:
    accepts = Accepts()
    port = free_port()
    smtp = Controller(accepts, hostname="127.0.0.1", port=port)
    smtp.start()
    schema = f"bench_notify_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    env = {"KX_BROKER_URL": RABBITMQ_URL, "KX_SECRET_KEY": TEST_SECRET,
           "KX_BUS_NAMESPACE": f"bench{uuid.uuid4().hex[:8]}", "KX_VAR_DIR": "/tmp/kx-bench-notify",
           "KX_SMTP_URL": f"smtp://127.0.0.1:{port}", "KX_LOG_LEVEL": "WARNING",
           "KX_MAIL_REPLY_TO": "kx-team@example.org"}
    create_bus_users(RABBITMQ_URL)
    for service in ("registration", "notifications", "learning", "expenses"):
        env[f"KX_DATABASE_URL_{service.upper()}"] = schema_url(POSTGRES_URL, schema)
        env[f"KX_BROKER_URL_{service.upper()}"] = as_user(RABBITMQ_URL, service, TEST_BUS_PASSWORDS[service])
    settings = load(env)
    runtime = Runtime(SERVICE, settings)
    upgrade(runtime)
    with runtime.bus.connection() as connection:  # the queues exist before anything is published
        runtime.bus.declare(connection, Consumer(runtime).queues())
    results = {}
    try:
        for workers in (1, 2):
            procs = start_workers(env, workers)
            try:
                tag = f"t{workers}w-"
                events = [(f"{tag}{n}@example.org", booking(n, tag, workers * 100_000)) for n in range(args.events)]
                cpu_before = snapshot(groups(procs))
                published = publish(runtime, events, rate=None)
                wait_for(accepts, tag, args.events, timeout=600)
                usage = spent(cpu_before, snapshot(groups(procs)), args.events)
                first = min(published.values())
                last = max(accepts.at[r] for r in published)
                throughput = args.events / (last - first)

                tag = f"l{workers}w-"
                events = [(f"{tag}{n}@example.org", booking(n, tag, workers * 100_000 + 50_000))
                          for n in range(args.latency_events)]
                published = publish(runtime, events, rate=args.rate)
                wait_for(accepts, tag, args.latency_events, timeout=600)
                latencies = [accepts.at[r] - published[r] for r in published]
                results[f"{workers}_worker"] = {
                    "messages_per_s": round(throughput, 1),
                    "latency_p50_ms": round(percentile(latencies, 50) * 1000, 1),
                    "latency_p99_ms": round(percentile(latencies, 99) * 1000, 1),
                    "latency_max_ms": round(max(latencies) * 1000, 1),
                    # what a message costs the workers, whatever else the machine is doing
                    "worker_cpu_ms_per_message": round(sum(usage[name] for name in groups(procs)), 2),
                    # and what it cost the rest: PostgreSQL, RabbitMQ, this process (the SMTP
                    # server and the publisher), and how busy the machine was
                    "cpu_ms_per_message": usage,
                }
                print(f"{workers} worker(s): {results[f'{workers}_worker']}", flush=True)
            finally:
                stop_workers(procs)
    finally:
        smtp.stop()
        runtime.dispose()
        delete_bus_namespace(settings)
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
    one, two = results["1_worker"], results["2_worker"]
    results["two_over_one"] = round(two["messages_per_s"] / one["messages_per_s"], 2)
    results["targets"] = {
        "per_worker_at_least_100_per_s": one["messages_per_s"] >= 100,
        "p99_under_1s_at_rate": one["latency_p99_ms"] < 1000 and two["latency_p99_ms"] < 1000,
        "two_workers_at_least_1.7x": results["two_over_one"] >= 1.7,
    }
    results["setup"] = {"events": args.events, "latency_events": args.latency_events, "rate": args.rate,
                        "machine": f"{os.cpu_count()} CPU, {platform.platform()}, Python {platform.python_version()}",
                        "load_average_after": os.getloadavg()}
    return results


def worker(ready: Path) -> None:
    import signal

    from shared.worker import Worker

    runtime = Runtime(SERVICE, load())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    running = Worker(runtime)
    running.start(stop)
    if running.wait_ready(60):
        (ready / str(os.getpid())).touch()
    while not stop.is_set():
        stop.wait(0.5)


def main() -> None:
    if sys.argv[1:2] == ["worker"]:
        worker(Path(sys.argv[2]))
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--rate", type=float, default=50.0)
    parser.add_argument("--latency-events", type=int, default=500)
    results = run(parser.parse_args())
    out = ROOT / "benchmarks" / "results"
    out.mkdir(exist_ok=True)
    (out / "notify.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
