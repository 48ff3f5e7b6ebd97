"""Browser tests: Debian's Chromium, driven by Playwright, against `kx run` on a free port.

- Chromium is the system one (`shutil.which("chromium")`, installed by `.ci/run` with apt-get),
  never a browser downloaded by `playwright install`.
- axe-core comes from the npm registry into `var/node/` (`.ci/run`); `axe(page)` injects it and
  fails with a readable list of WCAG 2.0/2.1/2.2 A and AA violations.
- A failing test leaves a screenshot in `test-artifacts/screenshots/`.
Without Chromium, Playwright or axe-core the tests are skipped; with `CI` set they fail.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.config import load
from shared.testing import embedded_env, free_port, wait_until
from tests.support.processes import Processes, http, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "var/node/node_modules/axe-core/axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts/screenshots"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the demo accounts' documented password


def _missing(what: str):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing, and CI requires the browser tests to run (see .ci/run)")
    pytest.skip(f"{what} is missing (bash .ci/run installs it)")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
    executable = shutil.which("chromium")
    if executable is None:
        _missing("Chromium (Debian package `chromium`)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright (pip extra `test`)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True,
                                             args=["--no-sandbox", "--disable-dev-shm-usage"])
        yield browser
        browser.close()


class Server:
    """`kx run` with the demo programme, and what the tests need to reach its pages."""

    def __init__(self, base: str, settings):
        self.base = base
        self.settings = settings

    def api(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        data = json.dumps(body).encode() if body is not None else None
        status, answer = http(method, self.base + path, token=token, body=data)
        return status, (json.loads(answer) if answer else None)

    def token_of(self, email: str) -> str:
        """A demo account's token, signed in through the API as a script would. Never a made-up one:
        an earlier test signing the account out, or a new exchange changing its scopes, makes the
        account's older tokens stale."""
        status, body = self.api("POST", "/registration/api/auth/token", {"email": email, "password": DEMO_PASSWORD})
        assert status == 200, body
        return body["token"]

    def host_token(self, exchange_id: int) -> str:
        """The demo host's token (host of every demo exchange and of those the tests make), with
        `exchange_id` among its scopes."""
        return self.token_of("host@example.org")


@pytest.fixture(scope="session")
def server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser")
    port = free_port()
    # Every test's applicant applies from 127.0.0.1: the per-address limit (10 a minute, pinned by
    # registration's own tests) would refuse them once the suite runs fast enough.
    env = embedded_env(folder / "var", KX_PORT=str(port), KX_DEMO="1", KX_DEMO_PASSWORD=DEMO_PASSWORD,
                       KX_APPLY_RATE_LIMIT="1000")
    processes = Processes(env, folder)
    processes.start("run")
    base = f"http://127.0.0.1:{port}"
    try:
        for service in ("registration", "notifications", "learning", "expenses"):
            wait_for_http(f"{base}/{service}/healthz", timeout=60)
        wait_until(lambda: http("GET", f"{base}/registration/api/exchanges")[1].startswith(b"[{"), timeout=60,
                   message="the demo programme to load")
        yield Server(base, load(env))
    finally:
        processes.stop_all()


@pytest.fixture
def page(chromium, request):
    # bypass_csp: axe is injected by the test; the pages themselves keep their strict policy
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.nodeid)[-150:]
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def sized(chromium, request):
    """A page of the width the test is parametrized with (`indirect=True`)."""
    context = chromium.new_context(viewport={"width": request.param, "height": 900}, bypass_csp=True)
    yield context.new_page()
    context.close()


def fits(page) -> None:
    """The page is no wider than its window: it does not scroll sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.evaluate("window.innerWidth")
    assert width <= viewport, f"{page.url}: {width} px wide in a {viewport} px window"


def attended(page, server: Server, language: str) -> tuple[dict, str]:
    """An expert by experience who applied in `language` and was recorded at the exchange (one since
    held, `took_part`), their expenses manage page open once expenses has heard of both: (the
    exchange, the selector of its "Claim expenses" button)."""
    email = f"claim.{language}.{secrets.token_hex(4)}@example.org"
    exchange, token = took_part(server, language=language, email=email)  # since held: it can be claimed for
    status, answer = server.api("POST", f"/registration/api/exchanges/{exchange['id']}/attendance",
                                {"email": email, "stage": "exchange", "attended": True},
                                token=server.host_token(exchange["id"]))
    assert status == 200, answer
    start = f"main form[action$='/exchanges/{exchange['id']}/claim'] button[type=submit]"

    def attendance_arrived() -> bool:  # expenses hears of the application, then of the attendance (404 till then)
        response = page.goto(f"{server.base}/expenses/manage/{token}?lang={language}")
        return response is not None and response.status == 200 and page.locator(start).count() == 1

    wait_until(attendance_arrived, timeout=30, interval=0.5, message="expenses to hear of the recorded attendance")
    return exchange, start


def sign_in(page, server: Server, email: str) -> None:
    page.goto(f"{server.base}/registration/login")
    page.fill("input[name=email]", email)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("main button[type=submit], main input[type=submit]").first.click()
    page.wait_for_load_state()
    assert "/login" not in page.url, f"{email} could not sign in"


class SignedIn:
    """Each staff account signed in once for the whole run, its cookies kept (Playwright's storage
    state): `signed_in(page, email)` gives a test's page that account's session without the sign-in
    form's round trips and password check. Signing out ends every session of the account, in every
    service: a test that signs an account out says `signed_in.forget(email)`, and the next test to
    ask signs in afresh."""

    def __init__(self, chromium, server: Server):
        self.chromium, self.server, self.cookies = chromium, server, {}

    def __call__(self, page, email: str) -> None:
        if email not in self.cookies:
            context = self.chromium.new_context()
            try:
                sign_in(context.new_page(), self.server, email)
                self.cookies[email] = context.storage_state()["cookies"]
            finally:
                context.close()
        page.context.clear_cookies()
        page.context.add_cookies(self.cookies[email])

    def forget(self, email: str) -> None:
        self.cookies.pop(email, None)


@pytest.fixture(scope="session")
def signed_in(chromium, server) -> SignedIn:
    return SignedIn(chromium, server)


def apply(server: Server, name: str = "Alex Example", language: str = "en", email: str | None = None,
          exchange: dict | None = None) -> tuple[dict, str]:
    """An expert by experience (by default with an example.org address of their own) with a confirmed
    place on `exchange`, by default the open exchange that has the most places left, applied for
    through the API: (the exchange, their manage token)."""
    if exchange is None:
        status, exchanges = server.api("GET", "/registration/api/exchanges")
        exchange = max((e for e in exchanges if e["status"] == "open"), key=lambda e: e["places_left"])
    status, applied = server.api("POST", "/registration/api/applications", {
        "applicant": {"name": name, "email": email or f"claimant.{secrets.token_hex(4)}@example.org",
                      "organisation": "", "role": "", "participant_type": "experience",
                      "stakeholder_group": "lived experience", "language": language, "access_needs": ""},
        "exchange_ids": [exchange["id"]], "line_manager_permission": "not_applicable",
        "will_attend_sessions": True, "privacy_notice_accepted": True})
    assert status == 201, applied
    assert applied["bookings"][0]["status"] == "confirmed", applied
    return exchange, applied["manage_token"]


def took_part(server: Server, name: str = "Alex Example", language: str = "en",
              email: str | None = None) -> tuple[dict, str]:
    """As `apply`, on an exchange of its own that has since been held, so that its attendance can be
    recorded and its costs claimed (neither is possible before it happens)."""
    _booked, token = apply(server, name, language, email, exchange=fresh_exchange(server))
    return hold(server, _booked), token


def fresh_exchange(server: Server) -> dict:
    """A new exchange of 5 places hosted by the demo host, open for booking (the demo's own
    exchanges stay as they are)."""
    starts = (datetime.now(UTC) + timedelta(days=30)).replace(hour=9, minute=0, second=0, microsecond=0)
    status, exchange = server.api("POST", "/registration/api/exchanges", _timed(starts, {
        "title": f"A held exchange {secrets.token_hex(2)} (illustrative)", "theme": "T1", "subtheme": "T1.1",
        "host": {"name": "Example Health Board (illustrative)", "accounts": ["host@example.org"]},
        "location": {"site": "Example Hub", "town": "Aberystwyth"}, "capacity": 5,
        "description": "Illustrative.", "learning_outcomes": ["An outcome"]}), token=_admin(server))
    assert status == 201, exchange
    return exchange


def hold(server: Server, exchange: dict) -> dict:
    """Time passes: the programme team moves the booked exchange to have been held two days ago
    (as the API allows); returns it as it is now."""
    held = (datetime.now(UTC) - timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    status, exchange = server.api("PATCH", f"/registration/api/exchanges/{exchange['id']}", _timed(held, {}),
                                  token=_admin(server))
    assert status == 200, exchange
    return exchange


def _admin(server: Server) -> str:
    return server.token_of("admin@example.org")


def _timed(starts: datetime, fields: dict) -> dict:
    """An exchange's times around `starts`: 4 hours long, booking closing 10 days before, orientation a
    week before, reflection the next day."""
    return {**fields, "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=4)).isoformat(),
            "booking_closes_at": (starts - timedelta(days=10)).isoformat(),
            "orientation": {"starts_at": (starts - timedelta(days=7)).isoformat(),
                            "url": "https://example.org/teams/orientation"},
            "reflection": {"starts_at": (starts + timedelta(days=1)).isoformat(),
                           "url": "https://example.org/teams/reflection"}}


def held_exchange(server: Server) -> dict:
    """One of the demo's exchanges already held (its reflection session past), with its participants."""
    status, exchanges = server.api("GET", "/registration/api/exchanges")
    now = datetime.now(UTC)
    return next(e for e in exchanges
                if e["reflection"] and datetime.fromisoformat(e["reflection"]["starts_at"]) < now)


def axe(page) -> None:
    """Run axe-core on the page as it is; fail listing each violation, its rule and where."""
    if not AXE.is_file():
        _missing(f"axe-core ({AXE.relative_to(ROOT)}; .ci/run fetches it from the npm registry)")
    page.add_script_tag(content=AXE.read_text())  # the page's CSP does not apply to scripts added by the driver
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    problems = [f"{v['id']} ({v['impact']}): {v['help']}\n    " +
                "\n    ".join(" ".join(node["target"]) + " — " + node.get("failureSummary", "").replace("\n", " ")
                               for node in v["nodes"][:5])
                for v in result["violations"]]
    assert not problems, f"{page.url}: {len(problems)} accessibility violation(s):\n  " + "\n  ".join(problems)


def fetch(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read()
