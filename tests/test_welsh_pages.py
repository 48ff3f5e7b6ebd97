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


# --- what the programme team writes (issue 16) -----------------------------------------------------

#: the exchange's fields that the demo has in Welsh (`<field>_cy` beside each)
WELSH_FIELDS = ("title", "description", "learning_outcomes", "time_commitment")


def _demo_english(client) -> tuple[set[str], set[str]]:
    """Every English text of the demo programme that has a Welsh version, and the Welsh ones: theme
    and sub-theme titles, each exchange's texts and site, and towns whose Welsh name differs."""
    from shared.bilingual import WELSH_TOWNS

    english, welsh = set(), set()

    def pair(record, field):
        values = record[field] if isinstance(record[field], list) else [record[field]]
        welsh_values = record[f"{field}_cy"] if isinstance(record[f"{field}_cy"], list) else [record[f"{field}_cy"]]
        assert all(welsh_values), (record.get("code") or record.get("site"), field, "the demo has Welsh for it")
        english.update(values)
        welsh.update(welsh_values)

    for theme in client.get("/registration/api/themes").get_json():
        pair(theme, "title")
        for subtheme in theme["subthemes"]:
            pair(subtheme, "title")
    for listed in client.get("/registration/api/exchanges").get_json():
        exchange = client.get(f"/registration/api/exchanges/{listed['id']}").get_json()
        for field in WELSH_FIELDS:
            pair(exchange, field)
        pair(exchange["location"], "site")
        town = exchange["location"]["town"]
        if town.casefold() in WELSH_TOWNS and town not in WELSH_TOWNS[town.casefold()]:  # Rhyl is in Y Rhyl
            english.add(town)
    return english, welsh


def _english_shown(html: str, english: set[str]) -> list[str]:
    """The demo's English texts that a Welsh reader sees unmarked (not inside lang="en"), the page's
    <title> too."""
    visible = read(html).text
    found = re.search(r"<title>(.*?)</title>", html, re.S)
    title = " ".join(found.group(1).split()) if found else ""
    return sorted(text for text in english
                  if re.search(rf"(?<!\w){re.escape(text)}(?!\w)", visible) or text in title)


def test_welsh_pages_show_the_demo_programmes_welsh_never_its_english(system):
    """The catalogue, every exchange's page, the apply journey (its start, the exchanges question,
    check your answers, the confirmation) and the manage page, read in Welsh, show none of the demo
    programme's English where it has Welsh: titles, sites, descriptions, learning outcomes, time
    commitments, theme titles, and towns by their Welsh names."""
    from services.registration.tests.test_apply_pages import ANSWERED, Browser

    apps, _admin, exchange = system
    client = apps["registration"].test_client()
    english, welsh = _demo_english(client)
    ids = [e["id"] for e in client.get("/registration/api/exchanges").get_json()]
    pages = {"/registration/": client.get("/registration/?lang=cy")}
    pages.update({f"/registration/exchanges/{i}": client.get(f"/registration/exchanges/{i}?lang=cy") for i in ids})
    # an open one (the demo's first six have been held); the fixture's booking stays the only one on its exchange
    chosen = next(e["id"] for e in client.get("/registration/api/exchanges").get_json()
                  if e["status"] == "open" and e["id"] != exchange)
    browser = Browser(apps["registration"].test_client())
    pages["apply start"] = browser.get(f"/registration/apply/?exchange={chosen}&lang=cy")
    for slug, data in ANSWERED.items():
        browser.get(f"/registration/apply/{slug}?lang=cy")
        assert browser.post(f"/registration/apply/{slug}", data).status_code == 303, slug
    pages["apply exchanges"] = browser.get("/registration/apply/exchanges?lang=cy")
    assert browser.post("/registration/apply/exchanges", {"exchange_ids": [str(chosen)]}).status_code == 303
    pages["apply check"] = browser.get("/registration/apply/check?lang=cy")
    key = re.search(r'name="idempotency_key" value="([^"]+)"', pages["apply check"].get_data(as_text=True)).group(1)
    assert browser.post("/registration/apply/send", {"idempotency_key": key}).status_code == 303
    pages["apply confirmation"] = browser.get("/registration/apply/confirmation?lang=cy")
    manage = re.search(r'href="http://localhost(/registration/manage/[A-Za-z0-9_-]{43})"',
                       pages["apply confirmation"].get_data(as_text=True)).group(1)
    pages["manage"] = browser.get(f"{manage}?lang=cy")
    for name, response in pages.items():
        assert response.status_code == 200, name
        html = response.get_data(as_text=True)
        assert not _english_shown(html, english), f"{name} shows the demo's English: {_english_shown(html, english)}"
        assert any(text in html for text in welsh), f"{name} shows none of the demo's Welsh"
    exchange_page = read(pages[f"/registration/exchanges/{chosen}"].get_data(as_text=True)).text
    assert sum(text in exchange_page for text in welsh) >= 6, "title, theme, site, description, outcomes, time"


def test_a_welsh_workshop_pack_shows_the_demo_programmes_welsh_never_its_english(system):
    """A theme's pack in Welsh, from the demo's approved summaries: the theme's title and aim, each
    exchange's title, site, town and outcomes in Welsh, and the theme lead's synthesis (key
    messages, workshop questions, actions) in Welsh."""
    from services.learning.demo import SYNTHESIS_T1
    from services.learning.packs import render
    from services.learning.packs.context import gather

    apps, _admin, _exchange = system
    english, welsh = _demo_english(apps["registration"].test_client())
    english |= {*SYNTHESIS_T1["key_messages"], *SYNTHESIS_T1["workshop_questions"],
                *(item["action"] for item in SYNTHESIS_T1["actions"])}
    with apps["learning"].extensions["kx"].session() as session:
        context = gather(session, "T1", "cy")
        html = render.render_html(context)
    assert context["themes"][0]["exchanges"], "the demo has approved summaries in T1"
    assert not _english_shown(html, english), f"the Welsh pack shows the demo's English: {_english_shown(html, english)}"
    assert "Trawsnewid y system iechyd meddwl cymunedol" in html
    assert sum(text in html for text in welsh) >= 5
    assert SYNTHESIS_T1["key_messages_cy"][0] in html and SYNTHESIS_T1["workshop_questions_cy"][1] in html
