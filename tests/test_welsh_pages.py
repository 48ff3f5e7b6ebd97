"""Never English in cy (issue 7): the pages that show stored codes (statuses, actions, kinds, stages,
templates) show them in Welsh when the reader chose Welsh, never as the codes are stored.

The four apps on one database set with the demo programme, registration's events relayed to the
other services as the bus would, an applicant booked and recorded, and a payment run left open, so
that every vocabulary has something to show. Each page is read as a person sees it: its visible text,
outside a message as it was sent (`pre`) and what is marked English (`lang="en"`).
"""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser

import pytest
from sqlalchemy import select

from services.expenses import vocabularies as expenses
from services.learning import vocabularies as learning
from services.notifications import vocabularies as notifications
from services.registration import vocabularies as registration
from shared.bootstrap import load_demo, migrate
from shared.bus import dumps
from shared.config import load
from shared.consumer import Consumer
from shared.events import parse
from shared.registry import create_app, load_service
from shared.service import Runtime
from shared.testing import embedded_env, staff_token

SERVICES = ("registration", "notifications", "learning", "expenses")
#: every code a page might print as it is stored, as it is and with its underscores as spaces
CODES = {code.lower() for vocabulary in (
    expenses.CLAIM_STATUSES, expenses.RUN_STATUSES, expenses.HISTORY_ACTIONS, expenses.ACTORS, expenses.ITEM_TYPES,
    expenses.VEHICLES, expenses.FLAG_WORDS, learning.SUMMARY_STATUSES, learning.SUMMARY_ACTIONS,
    learning.PACK_STAGES, learning.PARTICIPANT_TYPES, learning.STAKEHOLDER_GROUPS, learning.STAGES,
    notifications.MESSAGE_STATUSES, notifications.TEMPLATES, registration.EXCHANGE_STATUSES,
    registration.BOOKING_STATUSES, registration.PARTICIPANT_TYPES, registration.STAKEHOLDER_GROUPS,
    registration.ATTENDANCE_STAGES) for code in vocabulary}
CODES |= {code.replace("_", " ") for code in CODES} | {"unknown", "system"}
#: English the code writes into a page, wherever it stands
ENGLISH = {
    "a code": r"\b[a-z]+_[a-z_]+\b",
    "a month as YYYY-MM": r"\b\d{4}-\d{2}\b(?!-)",
    "an ISO date": r"\b\d{4}-\d{2}-\d{2}\b",
    "a mileage working": r"\bmi (?:at|×)\b",
    "a journey": r"\bmiles by\b",
    "a payment run's note": r"(?i)\bpayment run \d",
}
#: the pages that print stored codes (`{exchange}`: the exchange the applicant booked)
PAGES = {
    "registration": ["/registration/staff/", "/registration/staff/exchanges/{exchange}/participants",
                     "/registration/staff/exchanges/{exchange}/attendance"],
    "notifications": ["/notifications/", "/notifications/messages/1"],
    "learning": ["/learning/", "/learning/exchanges/1/summary", "/learning/exchanges/5/summary",
                 "/learning/themes/T1", "/learning/programme"],
    "expenses": ["/expenses/finance/?status=all", "/expenses/finance/claims/1", "/expenses/finance/claims/2",
                 "/expenses/finance/claims/4", "/expenses/finance/runs", "/expenses/finance/runs/1",
                 "/expenses/finance/runs/2", "/expenses/finance/dashboard",
                 "/expenses/manage/demo-expenses-claimant-1", "/expenses/manage/demo-expenses-claimant-1/claims/1"],
}


class VisibleText(HTMLParser):
    """The text a reader sees: every element's own text (`cells`) and all of it (`text`), leaving out
    scripts, a message as it was sent (`pre`, its HTML), text areas and what is marked English."""

    SKIP = {"script", "style", "pre", "textarea", "iframe", "title"}
    CELLS = {"td", "th", "dd", "dt", "strong", "option", "li", "caption", "h1", "h2", "h3", "a", "label", "p"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool, list[str]]] = []
        self.cells: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        attributes = dict(attrs)
        hidden = tag in self.SKIP or attributes.get("lang") == "en"
        self.stack.append((tag, hidden or any(h for _, h, _ in self.stack), []))

    def handle_endtag(self, tag):
        while self.stack:
            name, hidden, text = self.stack.pop()
            if not hidden and name in self.CELLS:
                self.cells.append(" ".join("".join(text).split()))
            if self.stack and not hidden:
                self.stack[-1][2].extend(text)
            if name == tag:
                return

    def handle_data(self, data):
        if self.stack and self.stack[-1][1]:
            return
        if self.stack:
            self.stack[-1][2].append(data)
        self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def read(html: str) -> VisibleText:
    parser = VisibleText()
    parser.feed(html)
    parser.close()
    return parser


def in_welsh(client, url: str, headers: dict):
    return client.get(url + ("&" if "?" in url else "?") + "lang=cy", headers=headers)


def relay(runtimes: dict[str, Runtime]) -> int:
    """Every event in the outboxes to every other service's handlers, as the bus and consumers would."""
    delivered = 0
    for _round in range(5):
        moved = 0
        for name, runtime in runtimes.items():
            outbox = runtime.service.outbox
            with runtime.session() as session, session.begin():
                rows = list(session.scalars(select(outbox).where(outbox.sent_at.is_(None)).order_by(outbox.id)))
                for row in rows:
                    row.sent_at = row.created_at
                bodies = [row.envelope for row in rows]
            for body in bodies:
                envelope, data = parse(body if isinstance(body, str) else dumps(body))
                for other, consumer_runtime in runtimes.items():
                    if other == name:
                        continue
                    consumer = Consumer(consumer_runtime, consumer_runtime.service.handlers)
                    for handler in consumer_runtime.service.handlers:
                        if envelope["type"] in handler.events:
                            consumer.handle(handler, f"{other}.{handler.name}", envelope, data)
                moved += 1
        delivered += moved
        if not moved:
            break
    return delivered


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """The four apps on the demo programme, with an applicant booked on an exchange and recorded as
    attending, the messages about it, and a payment run waiting for its second person."""
    settings = load(embedded_env(tmp_path_factory.mktemp("welsh") / "var", KX_DEMO="1"))
    migrate(settings)
    load_demo(settings)
    runtimes = {name: Runtime(load_service(name), settings) for name in SERVICES}
    apps = {name: create_app(name, {"KX_RUNTIME": runtime, "KX_APPLY_RATE_LIMIT": "0"})
            for name, runtime in runtimes.items()}
    relay(runtimes)
    admin = {"Authorization": f"Bearer {staff_token(settings, {'admin': [], 'finance': []}, staff_id=7)}"}
    registration_client = apps["registration"].test_client()
    exchange = next(e["id"] for e in registration_client.get("/registration/api/exchanges").get_json()
                    if e["status"] == "open")
    applied = registration_client.post("/registration/api/applications", json={
        "applicant": {"name": "Rhian Example", "email": "rhian@example.org", "organisation": "Example Peer Network",
                      "role": "Peer worker", "participant_type": "experience", "stakeholder_group": "health",
                      "language": "en", "access_needs": ""},
        "exchange_ids": [exchange], "line_manager_permission": "not_applicable", "will_attend_sessions": True,
        "privacy_notice_accepted": True})
    assert applied.status_code == 201, applied.get_data(as_text=True)
    # its orientation session was yesterday (attendance is recorded only for a stage that has started)
    yesterday = (datetime.now(UTC) - timedelta(days=1)).isoformat()
    moved = registration_client.patch(f"/registration/api/exchanges/{exchange}", headers=admin, json={
        "orientation": {"starts_at": yesterday, "url": "https://example.org/teams/orientation"}})
    assert moved.status_code == 200, moved.get_data(as_text=True)
    recorded = registration_client.post(f"/registration/api/exchanges/{exchange}/attendance", headers=admin,
                                        json={"email": "rhian@example.org", "stage": "orientation", "attended": True})
    assert recorded.status_code == 200, recorded.get_data(as_text=True)
    relay(runtimes)
    made = apps["expenses"].test_client().post("/expenses/api/payment-runs", headers=admin)
    assert made.status_code == 201 and made.get_json()["status"] == "open"
    yield apps, admin, exchange
    for runtime in runtimes.values():
        runtime.dispose()


@pytest.mark.parametrize("name", SERVICES)
def test_pages_in_welsh_show_no_stored_code_or_english_the_code_wrote(system, name):
    apps, admin, exchange = system
    client = apps[name].test_client()
    for path in PAGES[name]:
        url = path.format(exchange=exchange)
        response = in_welsh(client, url, admin)
        assert response.status_code == 200, url
        page = read(response.get_data(as_text=True))
        raw = sorted({cell for cell in page.cells if cell.lower() in CODES})
        assert not raw, f"{url} shows stored codes as they are: {raw}"
        for what, pattern in ENGLISH.items():
            found = re.findall(pattern, page.text)
            assert not found, f"{url} shows {what} in English: {found}"


def test_the_pages_hold_what_the_words_are_tested_on(system):
    """The test above reads pages that show every kind of code, in Welsh."""
    apps, admin, exchange = system
    seen = {}
    for name, paths in PAGES.items():
        client = apps[name].test_client()
        for path in paths:
            url = path.format(exchange=exchange)
            seen[url] = read(in_welsh(client, url, admin).get_data(as_text=True))
    run, claim = seen["/expenses/finance/runs/2"].cells, seen["/expenses/finance/claims/4"].cells
    assert "Yn aros i ail berson ei gymeradwyo" in run and "Taliadau wedi'u rhyddhau" in seen["/expenses/finance/runs/1"].cells
    assert {"Wedi'i ychwanegu at rediad talu", "Wedi'i dalu", "Rhediad talu 1", "Hawliwr"} <= set(claim)
    assert re.search(r"\b(Ionawr|Chwefror|Mawrth|Ebrill|Mai|Mehefin|Gorffennaf|Awst|Medi|Hydref|Tachwedd|Rhagfyr) 20\d\d\b",
                     seen["/expenses/finance/dashboard"].text), "the dashboard's months by name"
    assert "milltir" in seen["/expenses/manage/demo-expenses-claimant-1/claims/1"].text
    log = seen["/notifications/"].cells
    assert "Lle wedi'i gadarnhau" in log and "Yn aros" in log
    assert "Wedi'i gadw fel fersiwn newydd" in seen["/learning/exchanges/1/summary"].cells
    participants = seen[f"/registration/staff/exchanges/{exchange}/participants"].cells
    assert "Iechyd" in participants and "Arbenigwr drwy brofiad" in participants


def test_the_participants_csv_a_host_downloads_is_in_their_language_and_the_apis_keeps_the_codes(system):
    apps, admin, exchange = system
    client = apps["registration"].test_client()
    welsh = client.get(f"/registration/staff/exchanges/{exchange}/participants.csv", query_string={"lang": "cy"},
                       headers=admin)
    [row] = list(csv.DictReader(io.StringIO(welsh.get_data(as_text=True))))
    assert row["Statws"] == "Wedi'i gadarnhau" and row["Grŵp rhanddeiliaid"] == "Iechyd"
    assert row["Yn cymryd rhan fel"] == "Arbenigwr drwy brofiad" and row["Iaith negeseuon e-bost"] == "English"
    assert row["Wedi mynychu: Sesiwn gyflwyno"] == "Ie"
    api = client.get(f"/registration/api/exchanges/{exchange}/participants", query_string={"lang": "cy"},
                     headers={**admin, "Accept": "text/csv"})
    [row] = list(csv.DictReader(io.StringIO(api.get_data(as_text=True))))
    assert (row["status"], row["stakeholder_group"], row["participant_type"]) == ("confirmed", "health", "experience")
    assert row["attended_orientation"] == "yes"
