"""Benchmark: the registration rush (issue 3), through real HTTP, against a same-run ceiling.

    .venv/bin/python benchmarks/rush.py [--applicants 1000] [--concurrency 64] [--capacity 20]
                                        [--workers 2] [--rounds 3] [--no-embedded]

N applicants, `--concurrency` at a time, apply for one exchange of `--capacity` places:
1. kx: `POST /registration/api/applications` served by `kx web registration` (gunicorn, gthread)
   on a fresh PostgreSQL schema, with `kx worker registration` relaying the outbox to RabbitMQ
   (a fresh bus namespace), as docker-compose runs them; `KX_APPLY_RATE_LIMIT` (per email) raised
   and `KX_APPLY_RATE_PER_ADDRESS` off, since every request comes from one address;
2. the ceiling: a minimal Flask + psycopg endpoint under gunicorn with the same workers and threads,
   doing only the capacity-checked insert (lock the exchange's row, count, insert the booking);
3. for information, the same client against a no-op endpoint of the ceiling's server (what the
   client and gunicorn cost alone), and the embedded setup (`kx run`: waitress, SQLite, in-process bus).
The client is `--concurrency` threads, each with its own keep-alive `http.client` connection.
kx and the ceiling alternate round by round, each round on a new exchange, so the machine's ups
and downs hit both alike. After each round: exactly `--capacity` confirmed and the rest waitlisted
at 1..N-capacity, as answered and as stored; no answer but 201; the outbox drained by the worker.
Reports applications/s, p50/p99 latency and kx/ceiling (targets: >= 0.70, p99 < 250 ms, no
overbooking, no errors), and where the CPU went per application, for kx and for the ceiling: the
server, kx's outbox relay (its worker), PostgreSQL, RabbitMQ, this client, and how busy the machine
was (`benchmarks/_cpu.py`). Prints a table and writes benchmarks/results/rush.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from kombu import Connection  # noqa: E402
from sqlalchemy import create_engine, func, select, text  # noqa: E402

from benchmarks._cpu import describe, snapshot, spent  # noqa: E402
from benchmarks.bus import _percentile, machine  # noqa: E402
from services.registration.operations import create_exchange, create_theme  # noqa: E402
from services.registration.service import SERVICE  # noqa: E402
from services.registration.tests.conftest import exchange_fields  # noqa: E402
from services.registration.tests.rush import assert_first_come_first_served  # noqa: E402
from shared.config import SERVICES, load  # noqa: E402
from shared.service import Runtime  # noqa: E402
from shared.testing import TEST_SECRET, delete_bus_namespace, free_port, schema_url  # noqa: E402
from tests.support.processes import Processes, wait_for_http  # noqa: E402

RABBITMQ_URL = os.environ.get("KX_BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
POSTGRES_URL = os.environ.get("KX_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
RESULTS = Path(__file__).resolve().parent / "results" / "rush.json"
APPLY_PATH = "/registration/api/applications"
CEILING_PATH = "/ceiling/apply"
NOOP_PATH = "/ceiling/noop"
#: applications a minute for one email: raised, so the per-email count is still written to the database
RATE_LIMIT = "1000000"
#: every benchmark request comes from 127.0.0.1: the per-address allowance is off (one address's
#: count row would be locked by every application in turn, which a real rush from many addresses
#: does not do)
PER_ADDRESS = "0"
THREADS = 4  # per gunicorn worker, as `kx web` has by default (`--threads`)


# -- the ceiling: only the capacity-checked insert -------------------------------------------------

CEILING_TABLES = """
CREATE TABLE ceiling_exchanges (id serial PRIMARY KEY, capacity int NOT NULL,
    confirmed int NOT NULL DEFAULT 0, waiting int NOT NULL DEFAULT 0, CHECK (confirmed <= capacity));
CREATE TABLE ceiling_bookings (id bigserial PRIMARY KEY, exchange_id int NOT NULL REFERENCES ceiling_exchanges,
    email text NOT NULL, status text NOT NULL, waitlist_position int);
"""


def ceiling_app(conninfo: str):
    """Flask + psycopg, one connection per server thread: lock the exchange's row, confirm while a
    place is free, else queue at the end, insert the booking, commit; answer as kx does."""
    import psycopg
    from flask import Flask, jsonify, request

    app = Flask("ceiling")
    local = threading.local()

    def connection():
        if getattr(local, "connection", None) is None:
            local.connection = psycopg.connect(conninfo, autocommit=True)
        return local.connection

    @app.post(CEILING_PATH)
    def apply():
        data = request.get_json()
        exchange_id = data["exchange_ids"][0]
        db = connection()
        with db.transaction():
            capacity, confirmed, waiting = db.execute(
                "SELECT capacity, confirmed, waiting FROM ceiling_exchanges WHERE id = %s FOR UPDATE",
                (exchange_id,)).fetchone()
            if confirmed < capacity:
                status, position = "confirmed", None
                db.execute("UPDATE ceiling_exchanges SET confirmed = confirmed + 1 WHERE id = %s", (exchange_id,))
            else:
                status, position = "waitlisted", waiting + 1
                db.execute("UPDATE ceiling_exchanges SET waiting = waiting + 1 WHERE id = %s", (exchange_id,))
            db.execute("INSERT INTO ceiling_bookings (exchange_id, email, status, waitlist_position) "
                       "VALUES (%s, %s, %s, %s)", (exchange_id, data["applicant"]["email"], status, position))
        return jsonify({"bookings": [{"exchange_id": exchange_id, "status": status, "waitlist_position": position}]}), 201

    @app.post(NOOP_PATH)
    def noop():
        request.get_json()
        return jsonify({"bookings": [{"status": "confirmed", "waitlist_position": None}]}), 201

    return app


def serve_ceiling(port: int, workers: int, threads: int, conninfo: str) -> None:
    """The ceiling under gunicorn, configured as `kx web` configures kx's apps."""
    from gunicorn.app.base import BaseApplication

    class _Gunicorn(BaseApplication):
        def load_config(self):
            for name, value in (("bind", f"127.0.0.1:{port}"), ("workers", workers), ("threads", threads),
                                ("worker_class", "gthread"), ("accesslog", None)):
                self.cfg.set(name, value)

        def load(self):
            return ceiling_app(conninfo)

    _Gunicorn().run()


# -- the client --------------------------------------------------------------------------------


@dataclass
class Rush:
    """What one rush measured: each answer's (status, latency s, body), and the wall time."""

    answers: list[tuple[int, float, bytes]]
    seconds: float

    def statuses(self) -> Counter:
        return Counter(status for status, _, _ in self.answers)

    def bookings(self) -> list[tuple[str, int | None]]:
        """(status, waitlist_position) of each 201 answer's first booking."""
        out = []
        for status, _, body in self.answers:
            if status == 201:
                booking = json.loads(body)["bookings"][0]
                out.append((booking["status"], booking["waitlist_position"]))
        return out

    def figures(self) -> dict:
        latencies = sorted(latency for _, latency, _ in self.answers)
        return {"applications": len(self.answers), "seconds": round(self.seconds, 3),
                "per_second": round(len(self.answers) / self.seconds, 1),
                "p50_ms": round(_percentile(latencies, 50) * 1000, 1),
                "p99_ms": round(_percentile(latencies, 99) * 1000, 1),
                "max_ms": round(latencies[-1] * 1000, 1),
                "statuses": {str(k): v for k, v in sorted(self.statuses().items())}}


def rush(port: int, path: str, bodies: list[bytes], concurrency: int) -> Rush:
    """POST every body, `concurrency` at a time, each thread on its own keep-alive connection; all
    threads connect first and start together. A connection error answers status 0."""
    answers: list = [None] * len(bodies)
    taken = iter(range(len(bodies)))
    lock = threading.Lock()
    start = threading.Barrier(concurrency + 1)
    headers = {"Content-Type": "application/json"}

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.connect()
        start.wait()
        while True:
            with lock:
                index = next(taken, None)
            if index is None:
                break
            began = time.perf_counter()
            try:
                connection.request("POST", path, body=bodies[index], headers=headers)
                response = connection.getresponse()
                answers[index] = (response.status, time.perf_counter() - began, response.read())
            except (OSError, http.client.HTTPException) as error:
                answers[index] = (0, time.perf_counter() - began, repr(error).encode())
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.close()

    threads = [threading.Thread(target=client, name=f"rush-client-{n}") for n in range(concurrency)]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    return Rush(answers, time.perf_counter() - began)


def application_bodies(exchange_id: int, round_: str, n: int) -> list[bytes]:
    """N applications, as the contract's `POST /applications` takes them (illustrative people)."""
    return [json.dumps({
        "applicant": {"name": f"Applicant {i} Example", "email": f"rush-{round_}-{i}@example.org",
                      "organisation": "Example Health Board", "role": "Nurse", "participant_type": "occupation",
                      "stakeholder_group": "health", "language": "en", "access_needs": ""},
        "exchange_ids": [exchange_id], "line_manager_permission": "yes", "will_attend_sessions": True,
        "privacy_notice_accepted": True}).encode() for i in range(n)]


# -- checks ------------------------------------------------------------------------------------


def problems_of(result: Rush) -> list[str]:
    """Answers other than 201 (a 5xx or a connection error is an error; so is a 429 here)."""
    return [f"{count} answered {status}" for status, count in sorted(result.statuses().items()) if status != 201]


def check_kx(runtime: Runtime, exchange_id: int, result: Rush, capacity: int) -> list[str]:
    """The tests' own check: `capacity` confirmed, the rest waitlisted at 1..N, answered and stored."""
    problems = problems_of(result)
    try:
        assert_first_come_first_served(runtime, exchange_id, result.bookings(), capacity)
    except AssertionError as error:
        problems.append(f"first come, first served broken: {error}")
    return problems


def check_ceiling(engine, exchange_id: int, result: Rush, capacity: int) -> list[str]:
    problems = problems_of(result)
    with engine.connect() as connection:
        stored = connection.execute(text("SELECT status, waitlist_position FROM ceiling_bookings "
                                         "WHERE exchange_id = :id"), {"id": exchange_id}).all()
    waiting = len(stored) - capacity
    for name, rows in (("answered", result.bookings()), ("stored", stored)):
        if Counter(s for s, _ in rows) != {"confirmed": capacity, "waitlisted": waiting}:
            problems.append(f"ceiling {name}: {Counter(s for s, _ in rows)}")
        if sorted(p for s, p in rows if s == "waitlisted") != list(range(1, waiting + 1)):
            problems.append(f"ceiling {name}: waiting list positions are not 1..{waiting}")
    return problems


def wait_for_outbox(runtime: Runtime, timeout: float = 120) -> float | None:
    """Seconds until the worker has published every outbox row; None if it did not within `timeout`."""
    outbox = runtime.service.outbox
    began = time.perf_counter()
    while time.perf_counter() - began < timeout:
        with runtime.session() as session:
            if not session.scalar(select(func.count()).select_from(outbox).where(outbox.sent_at.is_(None))):
                return time.perf_counter() - began
        time.sleep(0.05)
    return None


# -- the setups --------------------------------------------------------------------------------


def new_exchange(runtime: Runtime, capacity: int) -> int:
    with runtime.session() as session, session.begin():
        return create_exchange(session, exchange_fields(title="Open access crisis café (rush)", capacity=capacity)).id


def add_theme(runtime: Runtime) -> None:
    with runtime.session() as session, session.begin():
        create_theme(session, "T1", "Transforming the community mental health system",
                     [{"code": "T1.1", "title": "Open access care"}])


def start_ceiling(processes: Processes, port: int, workers: int, threads: int,
                  conninfo: str) -> subprocess.Popen:
    log = open(processes.log_dir / "ceiling.log", "w")  # noqa: SIM115 - closed with the process
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve-ceiling", str(port), "--workers", str(workers), "--threads", str(threads),
         "--conninfo", conninfo], stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    processes.running.append(process)
    return process


def measured(groups: dict[str, int], run) -> tuple[Rush, dict[str, float]]:
    """`run()`'s rush, and the CPU milliseconds per application each part used during it
    (`groups`: name -> process group; see `benchmarks/_cpu.py`)."""
    before = snapshot(groups)
    result = run()
    return result, spent(before, snapshot(groups), len(result.answers))


def warm_up(port: int, path: str, bodies: list[bytes], concurrency: int) -> None:
    result = rush(port, path, bodies, concurrency)
    if problems_of(result):
        raise SystemExit(f"warm-up on {path} failed: {problems_of(result)}")


def kx_round(runtime: Runtime, port: int, groups: dict[str, int], label: str,
             args) -> tuple[Rush, dict[str, float], float | None, list[str]]:
    """One rush on kx on a new exchange: what it measured, the CPU ms per application of each
    part (`groups`: the server's process group, and the worker's), how long the outbox took to
    drain after it, and what the checks found wrong."""
    exchange_id = new_exchange(runtime, args.capacity)
    bodies = application_bodies(exchange_id, label, args.applicants)
    result, cpu_ms = measured(groups, lambda: rush(port, APPLY_PATH, bodies, args.concurrency))
    drained = wait_for_outbox(runtime)
    problems = check_kx(runtime, exchange_id, result, args.capacity)
    if drained is None:
        problems.append("the outbox relay did not drain the outbox within 120 s")
    return result, cpu_ms, drained, problems


def ratio_row(kx: dict, ceiling: dict) -> float:
    return kx["per_second"] / ceiling["per_second"]


def run_distributed(args, var: Path, results: dict) -> None:
    """kx on PostgreSQL + RabbitMQ against the ceiling, alternating round by round."""
    schema = f"bench_rush_{uuid.uuid4().hex[:8]}"
    namespace = f"bench{uuid.uuid4().hex[:10]}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        postgres_version = connection.execute(text("SHOW server_version")).scalar()
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    with Connection(RABBITMQ_URL) as connection:
        connection.connect()
        rabbitmq_version = connection.connection.server_properties.get("version", "?")
    results["machine"] = machine(rabbitmq_version.decode() if isinstance(rabbitmq_version, bytes)
                                 else rabbitmq_version, postgres_version)
    url = schema_url(POSTGRES_URL, schema)
    env = {"KX_VAR_DIR": str(var / "distributed"), "KX_BROKER_URL": RABBITMQ_URL, "KX_SECRET_KEY": TEST_SECRET,
           "KX_BUS_NAMESPACE": namespace, "KX_APPLY_RATE_LIMIT": RATE_LIMIT, "KX_APPLY_RATE_PER_ADDRESS": PER_ADDRESS,
           "KX_LOG_LEVEL": "WARNING", "KX_MAIL_REPLY_TO": "kx-team@example.org",
           **{f"KX_DATABASE_URL_{s.upper()}": url for s in SERVICES}}
    settings = load(env)
    processes = Processes(env, var)
    runtime = Runtime(SERVICE, settings)
    ceiling_db = create_engine(url)
    try:
        migrated = processes.run("migrate", "registration")
        if migrated.returncode:
            raise SystemExit(f"kx migrate failed: {migrated.stderr}")
        with ceiling_db.begin() as connection:
            connection.exec_driver_sql(CEILING_TABLES)
        add_theme(runtime)
        kx_port, ceiling_port = free_port(), free_port()
        kx_server = processes.start("web", "registration", "--port", str(kx_port), "--host", "127.0.0.1",
                                    "--workers", str(args.workers), "--threads", str(args.threads)).pid
        kx_worker = processes.start("worker", "registration").pid
        conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)
        ceiling_server = start_ceiling(processes, ceiling_port, args.workers, args.threads, conninfo).pid
        wait_for_http(f"http://127.0.0.1:{kx_port}/registration/healthz", timeout=60)
        _wait_for_port(ceiling_port)

        def ceiling_exchange() -> int:
            with ceiling_db.begin() as connection:
                return connection.execute(text("INSERT INTO ceiling_exchanges (capacity) VALUES (:c) RETURNING id"),
                                          {"c": args.capacity}).scalar_one()

        warm = args.concurrency * 2
        warm_up(kx_port, APPLY_PATH, application_bodies(new_exchange(runtime, args.capacity), "warm", warm),
                args.concurrency)
        warm_up(ceiling_port, CEILING_PATH, application_bodies(ceiling_exchange(), "warm", warm), args.concurrency)
        wait_for_outbox(runtime)

        rounds = []
        for round_ in range(1, args.rounds + 1):
            exchange_id = ceiling_exchange()
            bodies = application_bodies(exchange_id, f"c{round_}", args.applicants)
            ceiling, ceiling_cpu = measured(
                {"server": ceiling_server}, lambda bodies=bodies: rush(ceiling_port, CEILING_PATH, bodies,
                                                                       args.concurrency))
            ceiling_problems = check_ceiling(ceiling_db, exchange_id, ceiling, args.capacity)
            kx, kx_cpu, drained, kx_problems = kx_round(
                runtime, kx_port, {"server": kx_server, "outbox relay": kx_worker}, f"k{round_}", args)
            noop = rush(ceiling_port, NOOP_PATH, application_bodies(0, f"n{round_}", args.applicants),
                        args.concurrency)
            row = {"round": round_,
                   "kx": {**kx.figures(), "cpu_ms": kx_cpu}, "ceiling": {**ceiling.figures(), "cpu_ms": ceiling_cpu},
                   "noop": noop.figures(), "ratio": round(ratio_row(kx.figures(), ceiling.figures()), 3),
                   "load_average": os.getloadavg()[0],
                   "outbox_drained_s": None if drained is None else round(drained, 2),
                   "problems": kx_problems + ceiling_problems + problems_of(noop)}
            rounds.append(row)
            print(f"  round {round_}: kx {row['kx']['per_second']:6.0f}/s p50 {row['kx']['p50_ms']} ms "
                  f"p99 {row['kx']['p99_ms']} ms | ceiling {row['ceiling']['per_second']:6.0f}/s "
                  f"p50 {row['ceiling']['p50_ms']} ms p99 {row['ceiling']['p99_ms']} ms"
                  f" | ratio {row['ratio']:.2f} | no-op {row['noop']['per_second']:.0f}/s"
                  f" | outbox drained {row['outbox_drained_s']} s | load {row['load_average']:.1f}"
                  + (f" | PROBLEMS {row['problems']}" if row["problems"] else "")
                  + f"\n    cpu per application, kx: {describe(kx_cpu)}"
                  + f"\n    cpu per application, ceiling: {describe(ceiling_cpu)}", flush=True)
        results["distributed"] = {"rounds": rounds, "schema": schema, "namespace": namespace}
    finally:
        processes.stop_all()
        runtime.dispose()
        ceiling_db.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()
        delete_bus_namespace(settings)


def run_embedded(args, var: Path, results: dict) -> None:
    """For information: `kx run` (waitress, SQLite, in-process bus), the same rush."""
    env = {"KX_VAR_DIR": str(var / "embedded"), "KX_SECRET_KEY": TEST_SECRET, "KX_DEMO": "0",
           "KX_APPLY_RATE_LIMIT": RATE_LIMIT, "KX_APPLY_RATE_PER_ADDRESS": PER_ADDRESS, "KX_LOG_LEVEL": "WARNING",
           "KX_BUS_NAMESPACE": f"bench{uuid.uuid4().hex[:10]}"}
    for name in [k for k in os.environ if k.startswith("KX_")]:
        env.setdefault(name, "")  # nothing of the caller's distributed settings leaks in
    env["KX_BROKER_URL"] = "memory://"
    port = free_port()
    processes = Processes(env, var)
    server = processes.start("run", "--port", str(port)).pid
    runtime = Runtime(SERVICE, load({k: v for k, v in env.items() if v}))
    try:
        wait_for_http(f"http://127.0.0.1:{port}/registration/healthz", timeout=60)
        add_theme(runtime)
        warm_up(port, APPLY_PATH, application_bodies(new_exchange(runtime, args.capacity), "warm",
                                                     args.concurrency * 2), args.concurrency)
        rounds = []
        for round_ in range(1, args.rounds + 1):
            embedded, cpu_ms, drained, problems = kx_round(runtime, port, {"server": server}, f"e{round_}", args)
            row = {"round": round_, "kx": {**embedded.figures(), "cpu_ms": cpu_ms},
                   "load_average": os.getloadavg()[0],
                   "outbox_drained_s": None if drained is None else round(drained, 2), "problems": problems}
            rounds.append(row)
            print(f"  embedded round {round_}: {row['kx']['per_second']:6.0f}/s p50 {row['kx']['p50_ms']} ms "
                  f"p99 {row['kx']['p99_ms']} ms cpu {cpu_ms['server']} ms/app | outbox drained {row['outbox_drained_s']} s"
                  f" | load {row['load_average']:.1f}" + (f" | PROBLEMS {problems}" if problems else ""), flush=True)
        results["embedded"] = {"rounds": rounds}
    finally:
        processes.stop_all()
        runtime.dispose()


def _wait_for_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).connect()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answered on port {port} within {timeout}s")


# -- the run -----------------------------------------------------------------------------------


def summary(results: dict) -> dict:
    rounds = results["distributed"]["rounds"]

    def median(key: str, figure: str) -> float:
        return round(statistics.median(r[key][figure] for r in rounds), 1)

    ratio = statistics.median(r["ratio"] for r in rounds)
    p99 = median("kx", "p99_ms")
    problems = [p for r in rounds for p in r["problems"]]
    out = {"kx_per_second": median("kx", "per_second"), "kx_p50_ms": median("kx", "p50_ms"), "kx_p99_ms": p99,
           "ceiling_per_second": median("ceiling", "per_second"), "ceiling_p50_ms": median("ceiling", "p50_ms"),
           "ceiling_p99_ms": median("ceiling", "p99_ms"), "noop_per_second": median("noop", "per_second"),
           "load_average": [min(r["load_average"] for r in rounds), max(r["load_average"] for r in rounds)],
           "kx_cpu_ms": _median_usage(r["kx"]["cpu_ms"] for r in rounds),
           "ceiling_cpu_ms": _median_usage(r["ceiling"]["cpu_ms"] for r in rounds),
           "ratio": round(ratio, 2), "ratio_range": [min(r["ratio"] for r in rounds), max(r["ratio"] for r in rounds)],
           "problems": problems,
           "met": {"ratio >= 0.70": ratio >= 0.70, "p99 < 250 ms": p99 < 250,
                   "exactly capacity confirmed, dense waiting list, only 201s": not problems}}
    if "embedded" in results:
        embedded = results["embedded"]["rounds"]
        out["embedded_per_second"] = round(statistics.median(r["kx"]["per_second"] for r in embedded), 1)
        out["embedded_p50_ms"] = round(statistics.median(r["kx"]["p50_ms"] for r in embedded), 1)
        out["embedded_p99_ms"] = round(statistics.median(r["kx"]["p99_ms"] for r in embedded), 1)
        out["embedded_problems"] = [p for r in embedded for p in r["problems"]]
    return out


def _median_usage(usages) -> dict[str, float]:
    usages = list(usages)
    return {part: round(statistics.median(u[part] for u in usages), 2) for part in usages[0]}


def report(results: dict) -> None:
    s, a = results["summary"], results["args"]
    met = s["met"]
    rows = [
        ("ceiling: Flask + psycopg, capacity-checked insert", f"{s['ceiling_per_second']:.0f}/s",
         f"p50 {s['ceiling_p50_ms']} ms, p99 {s['ceiling_p99_ms']} ms", "baseline"),
        ("kx: POST /registration/api/applications", f"{s['kx_per_second']:.0f}/s",
         f"p50 {s['kx_p50_ms']} ms, p99 {s['kx_p99_ms']} ms",
         "p99 < 250 ms " + ("met" if met["p99 < 250 ms"] else "NOT met")),
        ("kx / ceiling (median of the rounds' ratios)", f"{s['ratio']:.2f}",
         f"rounds {s['ratio_range'][0]:.2f}-{s['ratio_range'][1]:.2f}",
         ">= 0.70 " + ("met" if met["ratio >= 0.70"] else "NOT met")),
        (f"exactly {a['capacity']} confirmed, waiting list 1..{a['applicants'] - a['capacity']}, only 201",
         "yes" if not s["problems"] else "NO", "; ".join(s["problems"])[:60], "required"),
        ("client + gunicorn alone (no-op endpoint)", f"{s['noop_per_second']:.0f}/s", "", "info"),
        ("load average during the rounds", f"{s['load_average'][0]:.1f}-{s['load_average'][1]:.1f}", "", "info"),
    ]
    cpu_rows = [(f"CPU per application, {name}", describe(s[key])) for name, key in
                (("kx", "kx_cpu_ms"), ("ceiling", "ceiling_cpu_ms"))]
    if "embedded_per_second" in s:
        rows.append(("embedded: kx run (waitress, SQLite)", f"{s['embedded_per_second']:.0f}/s",
                     f"p50 {s['embedded_p50_ms']} ms, p99 {s['embedded_p99_ms']} ms",
                     "info" + (f"; PROBLEMS {s['embedded_problems']}" if s["embedded_problems"] else "")))
    widths = [max(len(r[i]) for r in rows) for i in range(3)]
    print()
    print(f"{'measure':<{widths[0]}}  {'apps/s':<{widths[1]}}  {'latency':<{widths[2]}}  target")
    print("-" * (sum(widths) + 20))
    for name, rate, latency, target in rows:
        print(f"{name:<{widths[0]}}  {rate:<{widths[1]}}  {latency:<{widths[2]}}  {target}")
    for name, usage in cpu_rows:
        print(f"{name:<{widths[0]}}  {usage}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--applicants", type=int, default=1000, help="applications per rush")
    parser.add_argument("--concurrency", type=int, default=64, help="client threads, one connection each")
    parser.add_argument("--capacity", type=int, default=20, help="places on the exchange")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers of kx and of the ceiling")
    parser.add_argument("--threads", type=int, default=THREADS, help="threads per gunicorn worker, both alike")
    parser.add_argument("--rounds", type=int, default=3, help="kx/ceiling rounds (and embedded rounds)")
    parser.add_argument("--no-embedded", action="store_true", help="skip the embedded (SQLite) figure")
    parser.add_argument("--serve-ceiling", type=int, metavar="PORT", help=argparse.SUPPRESS)
    parser.add_argument("--conninfo", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_ceiling:
        serve_ceiling(args.serve_ceiling, args.workers, args.threads, args.conninfo)
        return

    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))  # so the servers and the schema are cleaned up
    results: dict = {"date": datetime.now(UTC).isoformat(timespec="seconds"),
                     "args": {k: v for k, v in vars(args).items() if k not in ("serve_ceiling", "conninfo")}}
    print(f"rush: {args.applicants} applicants, {args.concurrency} at a time, on {args.capacity} places; "
          f"{args.workers} gunicorn workers x {args.threads} threads; {args.rounds} rounds", flush=True)
    with tempfile.TemporaryDirectory() as var:
        run_distributed(args, Path(var), results)
        if not args.no_embedded:
            run_embedded(args, Path(var), results)
    results["summary"] = summary(results)
    report(results)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written {RESULTS}")


if __name__ == "__main__":
    main()
