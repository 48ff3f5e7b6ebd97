"""Benchmark: the outbox relay and end-to-end bus latency, on the real RabbitMQ and PostgreSQL.

    .venv/bin/python benchmarks/bus.py [--events 2000] [--rate 100] [--seconds 20] [--rounds 5]

Measures, in one run, with a fresh bus namespace and a fresh PostgreSQL schema (both removed at
the end), for a throwaway service with one handler of `system.ping`:
1. baseline: plain kombu publishing persistent messages (delivery_mode=2) one at a time with
   publisher confirms, to the same durable (quorum) queue the relay's events land in -> msg/s;
2. relay: N events committed in the outbox beforehand, `Relay.publish_pending` looped until the
   outbox is drained -> events/s, and relay/baseline (target >= 0.80). After each relay batch
   the baseline publishes as many messages, so drift on a shared machine hits both alike; over
   `--rounds` rounds of N each, medians;
3. end to end at a steady rate: a producer thread emits one event per transaction (`emit` +
   commit) while a `Worker` (relay + consumer) runs; latency = when the handler runs - when the
   emitting commit returned. p50/p99 (target p99 < 100 ms). Measured with the relay woken by the
   commit (producer in the worker's process, as `kx run` does) and, for information, with the
   relay polling every KX_RELAY_INTERVAL (producer in another process, as gunicorn + `kx worker`);
4. for information, the same end-to-end figure on the embedded setup (SQLite file + memory://).
Prints a table and writes benchmarks/results/bus.json.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import kombu  # noqa: E402
import sqlalchemy  # noqa: E402
from kombu import Connection  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from shared.bus import dumps  # noqa: E402
from shared.config import SERVICES, load  # noqa: E402
from shared.consumer import Consumer  # noqa: E402
from shared.db import make_sessionmaker  # noqa: E402
from shared.events import PING, make_envelope  # noqa: E402
from shared.models import service_base  # noqa: E402
from shared.outbox import Relay, emit  # noqa: E402
from shared.service import Handler, Runtime, Service  # noqa: E402
from shared.testing import TEST_SECRET, embedded_env, schema_url  # noqa: E402
from shared.worker import Worker  # noqa: E402

RABBITMQ_URL = os.environ.get("KX_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
POSTGRES_URL = os.environ.get("KX_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RESULTS = Path(__file__).resolve().parent / "results" / "bus.json"
EVENT = PING
SERVICE = "bench"
HANDLER = "latency"


class Received:
    """What the handler saw: when it ran for each event id (first time only)."""

    def __init__(self):
        self.at: dict[str, float] = {}

    def handle(self, session, envelope, data):
        self.at.setdefault(envelope["id"], time.perf_counter())


def bench_service(received: Received) -> Service:
    base, outbox, inbox = service_base()
    return Service(name=SERVICE, base=base, outbox=outbox, inbox=inbox, package_dir=Path(__file__).parent,
                   handlers=(Handler(HANDLER, (EVENT,), received.handle),))


def nonce(n: int) -> str:
    return f"bench-{n:08d}"  # fixed width: every envelope has the same size


# -- 1 and 2: publishing throughput ------------------------------------------------------------


def fill_outbox(runtime: Runtime, n: int, batch: int = 500) -> None:
    for start in range(0, n, batch):
        with runtime.session() as session, session.begin():
            for i in range(start, min(n, start + batch)):
                emit(session, EVENT, {"service": SERVICE, "nonce": nonce(i)})


def unsent(runtime: Runtime) -> int:
    outbox = runtime.service.outbox
    with runtime.session() as session:
        return session.scalar(select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None)))


def throughput_round(runtime: Runtime, n: int) -> tuple[float, float]:
    """(baseline msg/s, relay events/s) over N messages each.

    The relay drains N committed events with `publish_pending` (one batch per call) until a call
    finds none; after each of its batches the baseline publishes as many messages with plain
    kombu, one confirmed persistent publish at a time, on its own connection. Interleaved batch
    by batch, the machine's ups and downs hit both alike.
    """
    fill_outbox(runtime, n)
    bus = runtime.bus
    relay = Relay(runtime.service, runtime.sessionmaker, bus)
    body = dumps(make_envelope(SERVICE, EVENT, {"service": SERVICE, "nonce": nonce(0)}))
    relay_time = baseline_time = 0.0
    published = 0
    with bus.connection() as relay_connection, \
            Connection(bus.url, transport_options={"confirm_publish": True}) as plain_connection:
        relay_producer, plain_producer = relay_connection.Producer(), plain_connection.Producer()
        while True:
            started = time.perf_counter()
            batch = relay.publish_pending(relay_producer)
            relay_time += time.perf_counter() - started
            started = time.perf_counter()
            for i in range(published, published + batch):
                plain_producer.publish(body, exchange=bus.events.name, routing_key=EVENT, delivery_mode=2,
                                       content_type="application/json", content_encoding="utf-8",
                                       message_id=str(i))
            baseline_time += time.perf_counter() - started
            published += batch
            if not batch:
                break
    if published != n or unsent(runtime):
        raise RuntimeError(f"relay published {published} of {n}; {unsent(runtime)} left unsent")
    return n / baseline_time, n / relay_time


def purge(runtime: Runtime, queue_name: str) -> None:
    with runtime.bus.connection() as connection:
        connection.default_channel.queue_purge(queue_name)


# -- 3 and 4: end-to-end latency ---------------------------------------------------------------


def end_to_end(runtime: Runtime, received: Received, rate: float, seconds: float, *, wake: bool) -> dict:
    """Emit at `rate` per second for `seconds`; latencies (s) from commit to handler.

    `wake`: the producer commits through the worker's sessionmaker, so the commit wakes the relay
    at once; otherwise through its own sessionmaker, like a web process apart from the worker,
    and the relay finds the rows when it next polls.
    """
    worker = Worker(runtime)
    worker.consumer = Consumer(runtime, runtime.service.handlers)  # the bench handler only, no ping
    stop = threading.Event()
    worker.start(stop)
    if not worker.wait_ready(30):
        raise RuntimeError("the worker's consumer did not start")
    sessions = runtime.sessionmaker
    if not wake:
        sessions = make_sessionmaker(runtime.engine)
        sessions.configure(info={"kx_service": runtime.service})
    committed: dict[str, float] = {}

    def produce(count: int, interval: float) -> None:
        start = time.perf_counter()
        for i in range(count):
            delay = start + i * interval - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            with sessions() as session, session.begin():
                event_id = emit(session, EVENT, {"service": SERVICE, "nonce": nonce(i)})
            committed[event_id] = time.perf_counter()

    try:
        produce(min(50, int(rate)), 1 / rate)  # warm-up: connections, caches; not counted
        _wait_for(lambda: all(e in received.at for e in committed), 30)
        committed.clear()
        producer = threading.Thread(target=produce, args=(int(rate * seconds), 1 / rate), name="bench-producer")
        started = time.perf_counter()
        producer.start()
        producer.join()
        produced_in = time.perf_counter() - started
        _wait_for(lambda: all(e in received.at for e in committed), 60)
    finally:
        stop.set()
        worker.join(10)
    handled = [(t, received.at[e] - t) for e, t in committed.items() if e in received.at]
    latencies = sorted(latency for _, latency in handled)
    missing = len(committed) - len(latencies)
    # p99 of each 5 s of emission: one stall of the machine shows as one bad window, not all
    windows: dict[int, list[float]] = {}
    for t, latency in handled:
        windows.setdefault(int((t - started) // 5), []).append(latency)
    return {
        "events": len(committed),
        "achieved_rate": round(len(committed) / produced_in, 1),
        "missing": missing,
        "p50_ms": round(_percentile(latencies, 50) * 1000, 1),
        "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
        "max_ms": round(latencies[-1] * 1000, 1),
        "p99_ms_per_5s": [round(_percentile(sorted(w), 99) * 1000, 1) for _, w in sorted(windows.items())],
    }


def _wait_for(predicate, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not predicate() and time.monotonic() < deadline:
        time.sleep(0.05)


def _percentile(values: list[float], p: float) -> float:
    """Nearest rank: the smallest value with at least p% of the values at or below it."""
    return values[max(0, math.ceil(len(values) * p / 100) - 1)]


# -- the run -----------------------------------------------------------------------------------


def machine(rabbitmq_version: str, postgres_version: str) -> dict:
    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True, check=False).stdout.splitlines()
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "memory_total": memory[1].split()[1] if len(memory) > 1 else "?",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "kombu": kombu.__version__,
        "sqlalchemy": sqlalchemy.__version__,
        "rabbitmq": rabbitmq_version,
        "postgresql": postgres_version,
    }


def real_runtime(received: Received, namespace: str, database_url: str, var_dir: Path) -> Runtime:
    env = {"KX_VAR_DIR": str(var_dir), "KX_BROKER_URL": RABBITMQ_URL, "KX_SECRET_KEY": TEST_SECRET,
           "KX_BUS_NAMESPACE": namespace,
           **{f"KX_DATABASE_URL_{s.upper()}": database_url for s in SERVICES}}
    runtime = Runtime(bench_service(received), load(env), database_url=database_url)
    runtime.service.base.metadata.create_all(runtime.engine)
    return runtime


def declare_queues(runtime: Runtime) -> str:
    with runtime.bus.connection() as connection:
        queues = Consumer(runtime, runtime.service.handlers).queues()
        runtime.bus.declare(connection, queues)
    return queues[0].name


def delete_topology(namespace: str) -> None:
    queue = f"{namespace}.{SERVICE}.{HANDLER}"
    with Connection(RABBITMQ_URL) as connection:
        channel = connection.default_channel
        for name in (queue, f"{queue}.dead"):
            channel.queue_delete(name)
        for name in (f"{namespace}.events", f"{namespace}.dead"):
            channel.exchange_delete(name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=2000, help="events per throughput round")
    parser.add_argument("--rate", type=float, default=100.0, help="events/s of the latency runs")
    parser.add_argument("--seconds", type=float, default=20.0, help="length of each latency run")
    parser.add_argument("--rounds", type=int, default=5, help="baseline/relay rounds")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")

    namespace = f"bench{uuid.uuid4().hex[:10]}"
    schema = f"bench_bus_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        postgres_version = connection.execute(text("SHOW server_version")).scalar()
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    with Connection(RABBITMQ_URL) as connection:
        connection.connect()
        rabbitmq_version = connection.connection.server_properties.get("version", "?")
    if isinstance(rabbitmq_version, bytes):
        rabbitmq_version = rabbitmq_version.decode()

    results: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                     "machine": machine(rabbitmq_version, postgres_version), "args": vars(args)}
    runtime = None
    try:
        with tempfile.TemporaryDirectory() as var:
            received = Received()
            runtime = real_runtime(received, namespace, schema_url(POSTGRES_URL, schema), Path(var))
            queue_name = declare_queues(runtime)

            print(f"throughput: {args.events} events x {args.rounds} rounds (namespace {namespace}, schema {schema})")
            baselines, relays = [], []
            for round_ in range(1, args.rounds + 1):
                base, relayed = throughput_round(runtime, args.events)
                baselines.append(base)
                relays.append(relayed)
                purge(runtime, queue_name)
                print(f"  round {round_}: baseline {base:7.0f} msg/s   relay {relayed:7.0f} events/s"
                      f"   ratio {relayed / base:.2f}")
            b, r = statistics.median(baselines), statistics.median(relays)
            ratio = statistics.median(x / y for x, y in zip(relays, baselines, strict=True))
            results["throughput"] = {
                "events": args.events, "rounds": args.rounds,
                "baseline_msg_s": [round(x) for x in baselines], "relay_events_s": [round(x) for x in relays],
                "baseline_median": round(b), "relay_median": round(r),
                "ratio": round(ratio, 2), "target_ratio": 0.80, "met": ratio >= 0.80,
            }

            print(f"end to end: {args.rate:g} events/s for {args.seconds:g} s")
            latency = {}
            for key, wake in (("postgresql_rabbitmq", True), ("postgresql_rabbitmq_polling", False)):
                latency[key] = end_to_end(runtime, received, args.rate, args.seconds, wake=wake)
                print(f"  {key}: {latency[key]}")
            runtime.dispose()

            embedded_received = Received()
            settings = load(embedded_env(Path(var) / "embedded"))
            embedded = Runtime(bench_service(embedded_received), settings,
                               database_url=f"sqlite:///{Path(var) / 'embedded' / 'bench.db'}")
            embedded.service.base.metadata.create_all(embedded.engine)
            latency["embedded"] = end_to_end(embedded, embedded_received, args.rate, args.seconds, wake=True)
            print(f"  embedded: {latency['embedded']}")
            embedded.dispose()
            main_run = latency["postgresql_rabbitmq"]
            results["latency"] = {**latency, "target_p99_ms": 100, "met": main_run["p99_ms"] < 100}
    finally:
        if runtime is not None:
            runtime.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
        delete_topology(namespace)

    report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {RESULTS.relative_to(Path.cwd()) if RESULTS.is_relative_to(Path.cwd()) else RESULTS}")


def report(results: dict) -> None:
    t, lat = results["throughput"], results["latency"]
    rate = results["args"]["rate"]
    rows = [
        ("baseline: kombu, confirmed persistent publish", f"{t['baseline_median']} msg/s", "baseline"),
        ("relay: Relay.publish_pending over a full outbox", f"{t['relay_median']} events/s", ""),
        ("relay / baseline (median of the rounds' ratios)", f"{t['ratio']:.2f}", ">= 0.80 " + ("met" if t["met"] else "NOT met")),
    ]
    for key, label in (("postgresql_rabbitmq", "end to end, PostgreSQL + RabbitMQ"),
                       ("postgresql_rabbitmq_polling", "  same, relay polling (producer elsewhere)"),
                       ("embedded", "end to end, embedded (SQLite + memory://)")):
        run = lat[key]
        target = ("p99 < 100 ms " + ("met" if lat["met"] else "NOT met")) if key == "postgresql_rabbitmq" else "info"
        rows.append((f"{label} @ {rate:g}/s", f"p50 {run['p50_ms']} ms, p99 {run['p99_ms']} ms", target))
    width = max(len(r[0]) for r in rows)
    value_width = max(len(r[1]) for r in rows)
    print()
    print(f"{'measure':<{width}}  {'result':<{value_width}}  target")
    print("-" * (width + value_width + 24))
    for name, value, target in rows:
        print(f"{name:<{width}}  {value:<{value_width}}  {target}")


if __name__ == "__main__":
    main()
