"""Benchmark: the finance queue and a payment run at programme scale, on PostgreSQL.

    .venv/bin/python benchmarks/finance.py [--claims 20000] [--run 5000] [--requests 300]

Seeds a fresh PostgreSQL schema with `--claims` claims of 3 lines each (19 exchanges, one claimant
per claim, bank details sealed with Fernet), `--run` of them approved. Then serves the expenses app
with gunicorn (`kx web expenses`, 2 workers) and measures, through real HTTP:
- the baseline, `GET /expenses/healthz` (server, HTTP and a database round trip);
- the finance queue's first page, `GET /expenses/api/claims` (submitted, oldest first, 50 a page);
- a filtered page: all statuses, one theme, flagged, largest first, page 3;
- the same filtered page as the HTML queue (`/expenses/finance/?...`);
- a payment run of the approved claims (`POST /expenses/api/payment-runs`), then its CSV and XLSX
  exports, against openpyxl alone writing the same number of rows (the export's own baseline);
- the run's confirmation by a second finance user (one paid event per claim).
Targets (issue 6): queue p99 < 150 ms; run plus both exports < 5 s.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests  # noqa: E402
from cryptography.fernet import Fernet  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from sqlalchemy import create_engine, insert, text  # noqa: E402

from services.expenses.models import Attendance, Claim, Claimant, ClaimHistory, ClaimItem, Exchange  # noqa: E402
from services.expenses.operations.bank import key_id  # noqa: E402
from services.expenses.service import SERVICE  # noqa: E402
from shared.config import load  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.service import Runtime  # noqa: E402
from shared.testing import TEST_SECRET, free_port, schema_url, staff_token  # noqa: E402

POSTGRES = os.environ.get("KX_BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
THEMES = ["T1"] * 10 + ["T2"] * 6 + ["T3"] * 3
STATUSES = ["submitted"] * 5 + ["queried", "rejected", "paid", "paid", "withdrawn"]


def seed(runtime: Runtime, claims: int, approved: int, key: str) -> None:
    fernet = Fernet(key)
    rng = random.Random(6)
    start = datetime.now(UTC) - timedelta(days=40)
    with runtime.session() as session, session.begin():
        session.execute(insert(Exchange), [
            {"id": i + 1, "title": f"Exchange {i + 1} (illustrative)", "theme": THEMES[i],
             "starts_at": start + timedelta(days=i), "ends_at": start + timedelta(days=i, hours=6), "event_time": ""}
            for i in range(19)])
        people, rows, lines, history = [], [], [], []
        for n in range(1, claims + 1):
            exchange = n % 19 + 1
            day = (start + timedelta(days=exchange - 1)).date()
            status = "approved" if n <= approved else STATUSES[n % len(STATUSES)]
            amounts = [rng.randint(500, 9000), rng.randint(300, 4000), rng.randint(200, 2600)]
            flagged = n % 10 == 0
            people.append({"application_id": n, "name": f"Claimant {n} (illustrative)",
                           "email": f"claimant{n}@example.org", "language": "en", "participant_type": "experience",
                           "manage_token_hash": uuid.uuid4().hex + uuid.uuid4().hex, "event_time": ""})
            plain = json.dumps({"n": f"Claimant {n}", "s": f"{n % 100:02d}-00-00", "a": f"{n:08d}"})
            submitted = datetime.combine(day, datetime.min.time(), UTC) + timedelta(days=2, minutes=n % 1440)
            rows.append({"id": n, "exchange_id": exchange, "application_id": n, "status": status,
                         "total_pence": sum(amounts), "approved_pence": sum(amounts) if status in ("approved", "paid") else None,
                         "flags": "over_cap" if flagged else "", "bank_ciphertext": fernet.encrypt(plain.encode()).decode(),
                         "bank_last4": f"{n:08d}"[-4:], "bank_key_id": key_id(key), "approved_by": 99,
                         "submitted_at": submitted, "created_at": submitted, "updated_at": submitted})
            for position, (kind, amount) in enumerate(zip(("mileage", "subsistence", "accommodation"), amounts, strict=True)):
                lines.append({"claim_id": n, "position": position, "type": kind, "day": day,
                              "description": "Illustrative line", "miles_tenths": amount // 45 * 10 if kind == "mileage" else None,
                              "vehicle": "car" if kind == "mileage" else None, "passengers": 0, "band_tenths": 0,
                              "amount_pence": amount, "flags": "over_cap" if flagged and kind == "accommodation" else ""})
            history.append({"claim_id": n, "at": submitted, "actor_kind": "claimant", "actor_name": "Claimant",
                            "action": "submitted", "from_status": "draft", "to_status": "submitted"})
        session.execute(insert(Claimant), people)
        session.execute(insert(Attendance), [{"exchange_id": r["exchange_id"], "application_id": r["application_id"],
                                              "stage": "exchange", "attended": True, "event_time": ""} for r in rows])
        session.execute(insert(Claim), rows)
        session.execute(insert(ClaimItem), lines)
        session.execute(insert(ClaimHistory), history)
        session.execute(text("SELECT setval(pg_get_serial_sequence('claims', 'id'), :n)"), {"n": claims})
    with runtime.engine.connect() as connection:
        connection.execute(text("COMMIT"))
        connection.execute(text("ANALYZE"))


def percentile(samples: list[float], p: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def timed(session: requests.Session, url: str, headers: dict, count: int) -> dict:
    samples = []
    for _ in range(count):
        began = time.perf_counter()
        response = session.get(url, headers=headers)
        samples.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code, response.text[:200])
    return {"p50_ms": round(statistics.median(samples), 1), "p99_ms": round(percentile(samples, 99), 1)}


def serve(env: dict, port: int) -> subprocess.Popen:
    kx = Path(sys.executable).with_name("kx")
    process = subprocess.Popen([str(kx), "web", "expenses", "--port", str(port), "--host", "127.0.0.1",
                                "--workers", "2"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/expenses/healthz", timeout=1).status_code == 200:
                return process
        except requests.ConnectionError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("kx web expenses did not start: " + process.stderr.read().decode()[-2000:])


def openpyxl_alone(rows: int) -> float:
    began = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("baseline")
    sheet.append(["payee_name", "sort_code", "account_number", "amount", "reference"])
    for n in range(rows):
        sheet.append([f"Claimant {n}", "01-00-00", f"{n:08d}", n / 100, f"KX EXP {n}"])
    book.save(io.BytesIO())
    return time.perf_counter() - began


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=20000)
    parser.add_argument("--run", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()

    schema = f"bench_expenses_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    key = Fernet.generate_key().decode()
    var_dir = Path(tempfile.mkdtemp(prefix="kx-bench-expenses-"))
    env = {**os.environ, "KX_VAR_DIR": str(var_dir), "KX_SECRET_KEY": TEST_SECRET, "KX_EXPENSES_KEYS": key,
           "KX_DATABASE_URL_EXPENSES": schema_url(POSTGRES, schema), "KX_LOG_LEVEL": "WARNING",
           "KX_BUS_NAMESPACE": f"bench{uuid.uuid4().hex[:6]}"}
    settings = load({k: v for k, v in env.items() if k.startswith("KX_")})
    runtime = Runtime(SERVICE, settings)
    server = None
    try:
        upgrade(runtime)
        began = time.perf_counter()
        seed(runtime, args.claims, args.run, key)
        seeded = time.perf_counter() - began
        print(f"seeded {args.claims} claims ({args.claims * 3} lines) in {seeded:.1f} s", flush=True)

        port = free_port()
        server = serve(env, port)
        base = f"http://127.0.0.1:{port}/expenses"
        maker = {"Authorization": "Bearer " + staff_token(settings, {"finance": []}, 1, "Maker")}
        checker = {"Authorization": "Bearer " + staff_token(settings, {"finance": []}, 2, "Checker")}
        http = requests.Session()
        filtered = "status=all&theme=T2&flag=over_cap&sort=-total&page=3"
        for url in (f"{base}/healthz", f"{base}/api/claims", f"{base}/api/claims?{filtered}"):
            timed(http, url, maker, 20)  # warm both workers
        results = {
            "healthz (baseline)": timed(http, f"{base}/healthz", {}, args.requests),
            "queue, first page (API)": timed(http, f"{base}/api/claims", maker, args.requests),
            "queue, filtered page 3 (API)": timed(http, f"{base}/api/claims?{filtered}", maker, args.requests),
            "queue, filtered page 3 (HTML)": timed(http, f"{base}/finance/?{filtered}", maker, args.requests),
        }

        began = time.perf_counter()
        run = http.post(f"{base}/api/payment-runs", headers=maker)
        made = time.perf_counter() - began
        assert run.status_code == 201, run.text
        run_id = run.json()["id"]
        began = time.perf_counter()
        csv_file = http.get(f"{base}/api/payment-runs/{run_id}/export.csv", headers=maker)
        csv_time = time.perf_counter() - began
        began = time.perf_counter()
        xlsx_file = http.get(f"{base}/api/payment-runs/{run_id}/export.xlsx", headers=maker)
        xlsx_time = time.perf_counter() - began
        assert csv_file.status_code == xlsx_file.status_code == 200
        assert csv_file.text.count("\n") == args.run + 1
        baseline_xlsx = openpyxl_alone(args.run)
        began = time.perf_counter()
        confirmed = http.post(f"{base}/api/payment-runs/{run_id}/confirm", headers=checker)
        confirm_time = time.perf_counter() - began
        assert confirmed.status_code == 200, confirmed.text
        results["payment run"] = {
            "claims": run.json()["claims"], "make_s": round(made, 2), "csv_s": round(csv_time, 2),
            "xlsx_s": round(xlsx_time, 2), "run_plus_exports_s": round(made + csv_time + xlsx_time, 2),
            "openpyxl_alone_s (baseline)": round(baseline_xlsx, 2),
            "xlsx_vs_openpyxl_alone": round(xlsx_time / baseline_xlsx, 2),
            "confirm_s (5,000 paid events)": round(confirm_time, 2),
        }
        healthz = results["healthz (baseline)"]["p99_ms"]
        for name in ("queue, first page (API)", "queue, filtered page 3 (API)", "queue, filtered page 3 (HTML)"):
            results[name]["p99_vs_healthz"] = round(results[name]["p99_ms"] / healthz, 1)
        print(json.dumps(results, indent=2))
        out = Path(__file__).parent / "results"
        out.mkdir(exist_ok=True)
        (out / "finance.json").write_text(json.dumps({"when": date.today().isoformat(), **results}, indent=2))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        runtime.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
