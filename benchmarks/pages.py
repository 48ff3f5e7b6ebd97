"""Pages (issue 7): server time per page and page weight, over every page of every service, in
English and Welsh, on the embedded setup (SQLite, in-process bus) with the demo programme.

Server time is measured around the WSGI call of the mounted app (what `kx run` serves, minus the
network), p50 and p95 per page over `--repeat` requests. Page weight is the HTML plus the
stylesheets it links (no images). Targets: p95 under 50 ms, weight under 100 KB.

    .venv/bin/python benchmarks/pages.py [--repeat 40]
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from werkzeug.test import Client  # noqa: E402

PUBLIC = ["/registration/", "/registration/exchanges/1", "/registration/apply/", "/registration/apply/about-you",
          "/registration/accessibility", "/registration/login", "/learning/library/", "/learning/library/1",
          "/expenses/"]
ADMIN = ["/registration/staff/", "/registration/staff/exchanges/new", "/registration/staff/exchanges/1/edit",
         "/registration/staff/themes", "/registration/staff/exchanges/1/participants",
         "/registration/staff/exchanges/1/attendance", "/registration/staff/privacy", "/notifications/",
         "/notifications/messages/1", "/notifications/exchanges/1/announcement", "/learning/", "/learning/themes/T1",
         "/learning/programme"]
#: the demo's summaries: 1 to 4 approved, 5 submitted (the lead reviews it), 6 a draft
HOST = ["/learning/exchanges/1/summary", "/learning/exchanges/6/summary", "/learning/exchanges/6/summary/edit"]
LEAD = ["/learning/exchanges/5/summary", "/learning/feedback"]
#: the demo's claims: 1 submitted with a receipt, 2 queried, 4 paid in the confirmed payment run 1
FINANCE = ["/expenses/finance/", "/expenses/finance/runs", "/expenses/finance/dashboard", "/expenses/finance/claims/1",
           "/expenses/finance/claims/2", "/expenses/finance/claims/4", "/expenses/finance/runs/1"]
#: an applicant's pages, reached with the manage token of an application made at the start
APPLICANT = ["/registration/manage/{token}", "/learning/manage/{token}", "/expenses/manage/{token}"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="kx-pages-")
    os.environ.update({"KX_VAR_DIR": folder, "KX_DEMO": "1", "KX_LOG_LEVEL": "WARNING",
                       "KX_SECRET_KEY": "benchmark-secret-key-that-is-long-enough-to-sign"})
    from shared.config import load
    from shared.embedded import Embedded, prepare  # what `kx run` serves

    settings = load()
    prepare(settings)  # migrations and the demo programme
    embedded = Embedded(settings)
    embedded.start_workers()  # the demo's events reach every service, as under `kx run`
    time.sleep(3)
    try:
        token = apply(embedded.app)
        time.sleep(3)  # its booking event reaches learning and expenses
        rows = measure(embedded.app, args.repeat, token)
    finally:
        embedded.shutdown()
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'page':52} {'lang':4} {'p50 ms':>7} {'p95 ms':>7} {'KB':>6}")
    for path, language, p50, p95, weight in rows:
        shown = re.sub(r"/manage/[^/?]+", "/manage/<token>", path)
        print(f"{shown:52} {language:4} {p50:7.1f} {p95:7.1f} {weight / 1024:6.1f}")
    worst = max(rows, key=lambda r: r[3])
    heaviest = max(rows, key=lambda r: r[4])
    print(f"worst p95: {worst[3]:.1f} ms ({worst[0]} {worst[1]}); heaviest: {heaviest[4] / 1024:.1f} KB "
          f"({heaviest[0]} {heaviest[1]}); {len(rows)} pages")


def apply(app) -> str:
    """An expert by experience's application for exchange 1; returns its manage token."""
    answer = Client(app).post("/registration/api/applications", json={
        "applicant": {"name": "Sam Example", "email": "sam.pages@example.org", "organisation": "Example Trust",
                      "role": "Peer worker", "participant_type": "experience", "stakeholder_group": "lived experience",
                      "language": "en", "access_needs": ""},
        "exchange_ids": [1], "line_manager_permission": "not_applicable", "will_attend_sessions": True,
        "privacy_notice_accepted": True})
    assert answer.status_code == 201, answer.get_data(as_text=True)
    return answer.get_json()["manage_token"]


def measure(app, repeat: int, token: str):
    rows = []
    roles = ((None, PUBLIC), ("admin@example.org", ADMIN), ("host@example.org", HOST), ("lead@example.org", LEAD),
             ("finance@example.org", FINANCE), (None, [path.format(token=token) for path in APPLICANT]))
    for role, paths in roles:
        client = Client(app)
        if role:
            sign_in(client, role)
        for path in paths:
            for language in ("en", "cy"):
                url = f"{path}?lang={language}"
                first = client.get(url)
                assert first.status_code == 200, f"{url}: {first.status_code}"
                html = first.get_data()
                weight = len(html) + sum(len(client.get(css).get_data()) for css in stylesheets(html))
                times = []
                for _ in range(repeat):
                    started = time.perf_counter()
                    client.get(url).get_data()
                    times.append((time.perf_counter() - started) * 1000)
                times.sort()
                rows.append((path, language, statistics.median(times), times[int(0.95 * (len(times) - 1))], weight))
    return rows


def stylesheets(html: bytes) -> list[str]:
    return re.findall(r'<link rel="stylesheet" href="([^"]+)"', html.decode())


def sign_in(client: Client, email: str) -> None:
    page = client.get("/registration/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    answer = client.post("/registration/login", data={"email": email, "password": "demo-password",
                                                       "csrf_token": token})
    assert answer.status_code in (302, 303), f"sign-in of {email}: {answer.status_code}"


if __name__ == "__main__":
    main()
