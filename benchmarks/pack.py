"""Benchmark: a 19-exchange programme pack with full summaries.

    .venv/bin/python benchmarks/pack.py [--rounds 3] [--downloads 300]

Measures, in one run on the embedded setup (SQLite file, no broker needed):
- building the pack through the service (gather inputs, hash, render, store, emit) against
  WeasyPrint alone rendering the very same HTML with the same options (the baseline);
- peak resident memory of the process;
- latency of a cached download (`GET /learning/api/programme/pack.pdf` through the Flask app), p50/p99.
Targets (issue 5): service ≤ 1.3× WeasyPrint alone; cached p99 < 50 ms; peak < 400 MB.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import weasyprint  # noqa: E402

from services.learning import create_app  # noqa: E402
from services.learning.packs import render  # noqa: E402
from services.learning.packs.build import build_now  # noqa: E402
from services.learning.packs.context import gather  # noqa: E402
from services.learning.service import SERVICE  # noqa: E402
from services.learning.tests.conftest import Bus  # noqa: E402
from shared.config import load  # noqa: E402
from shared.migrations import upgrade  # noqa: E402
from shared.service import Runtime  # noqa: E402
from shared.testing import embedded_env, staff_token  # noqa: E402

THEMES = {"T1": 10, "T2": 6, "T3": 3}  # 19 exchanges, as in the 2025 programme
WORDS = ["open", "access", "trauma", "informed", "recovery", "peer", "support", "community", "partners", "measures", "outcomes", "experience", "workforce", "supervision", "wellbeing", "referral", "pathway", "co-production", "families"]


def sentence(n: int, length: int) -> str:
    return " ".join(WORDS[(n * 7 + i) % len(WORDS)] for i in range(length)).capitalize() + "."


def full_summary(n: int, outcomes: list[str]) -> dict:
    return {
        "key_insights": [sentence(n + i, 24) for i in range(8)],
        "innovations": "\n\n".join(sentence(n + i, 60) for i in range(4)),
        "challenges": "\n\n".join(sentence(n + i + 3, 60) for i in range(3)),
        "transferable_ideas": "\n\n".join(sentence(n + i + 5, 60) for i in range(3)),
        "outcomes_met": outcomes[:2],
        "contributors": [f"Contributor {i} (illustrative)" for i in range(6)],
    }


def seed(runtime, client, settings) -> None:
    bus = Bus(runtime)
    admin = {"Authorization": "Bearer " + staff_token(settings, {"admin": []})}
    exchange_id = 0
    for theme, count in THEMES.items():
        for _ in range(count):
            exchange_id += 1
            outcomes = [f"Outcome {k} of exchange {exchange_id}" for k in range(4)]
            bus.exchange(exchange_id, theme=theme, title=f"Illustrative exchange {exchange_id}", outcomes=outcomes)
            for person in range(12):
                application_id = exchange_id * 100 + person
                bus.booking(application_id, exchange_id, participant_type="experience" if person % 3 else "occupation",
                            group=("health", "social care", "Third Sector", "lived experience")[person % 4])
                bus.attended(application_id, exchange_id)
                client.post("/learning/api/feedback", json={
                    "manage_token": f"token-{application_id}", "about": f"exchange:{exchange_id}",
                    "would_recommend": person % 5 != 0, "rating": 1 + person % 5, "comment": ""})
            url = f"/learning/api/exchanges/{exchange_id}/summary"
            assert client.put(url, json=full_summary(exchange_id, outcomes), headers=admin).status_code == 200
            client.post(url + "/submit", headers=admin)
            assert client.post(url + "/approve", json={}, headers=admin).status_code == 200
    return admin


def weasyprint_alone(html: str) -> float:
    started = time.perf_counter()
    document = weasyprint.HTML(string=html, base_url=render.ASSETS.as_uri() + "/", url_fetcher=render.AssetsOnly()).render()
    options = {"pdf_variant": render.PDF_VARIANT} if render.PDF_VARIANT else {}
    document.write_pdf(**options)
    return time.perf_counter() - started


def through_service(runtime) -> float:
    from sqlalchemy import delete

    from services.learning.models import Pack

    with runtime.session() as session, session.begin():
        session.execute(delete(Pack))  # an empty cache: this run must really build
    started = time.perf_counter()
    _, built = build_now(runtime, "programme", "en")
    assert built
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--downloads", type=int, default=300)
    args = parser.parse_args()
    import logging

    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory() as var:
        settings = load(embedded_env(Path(var)))
        runtime = Runtime(SERVICE, settings)
        upgrade(runtime)
        app = create_app({"KX_RUNTIME": runtime, "TESTING": True})
        client = app.test_client()
        admin = seed(runtime, client, settings)
        with runtime.session() as session:
            html = render.render_html(gather(session, "programme", "en"))

        weasyprint_alone(html)  # warm fonts and caches for both
        baseline, service = [], []
        for _ in range(args.rounds):  # interleaved, so drift on a shared machine hits both alike
            baseline.append(weasyprint_alone(html))
            service.append(through_service(runtime))
        pages = client.get("/learning/api/programme/pack.pdf", headers=admin)
        assert pages.status_code == 200 and pages.headers["X-Kx-Pack"] == "current"

        latencies = []
        for _ in range(args.downloads):
            started = time.perf_counter()
            response = client.get("/learning/api/programme/pack.pdf", headers=admin)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200
        latencies.sort()
        p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        b, s = statistics.median(baseline), statistics.median(service)
        print(f"programme pack: 19 exchanges, {len(pages.data) / 1024:.0f} KB, PDF variant {render.PDF_VARIANT}")
        print(f"WeasyPrint alone (same HTML): median {b:.2f} s over {args.rounds} rounds")
        print(f"through the service:          median {s:.2f} s  ratio {s / b:.2f}x  (target <= 1.3x)")
        print(f"cached download: p50 {statistics.median(latencies) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms "
              f"over {args.downloads}  (target p99 < 50 ms)")
        print(f"peak memory: {peak_mb:.0f} MB  (target < 400 MB)")
        runtime.dispose()


if __name__ == "__main__":
    main()
