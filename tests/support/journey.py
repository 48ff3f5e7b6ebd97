"""A whole programme journey for one applicant, through every service's API on the embedded setup
(four apps in one process, their workers in threads, the in-process bus): apply, the confirmation
email, attendance, summary, feedback, an expense claim with bank details, approval and payment.

Used by the privacy tests, which then ask for the applicant's data and for its erasure.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select, text
from werkzeug.test import Client

from shared.config import load
from shared.embedded import Embedded
from shared.testing import embedded_env, migrate_all, staff_token, wait_until

NAME = "Carys Privacy-Example"
EMAIL = "carys.privacy@example.org"
ACCESS_NEEDS = "A hearing loop and a step-free route, please"
ACCOUNT = "48120937"
SORT_CODE = "61-22-93"
REFLECTION_TEXT = "What I learnt from my own recovery helped the group"


@dataclass
class System:
    embedded: Embedded
    client: Client
    settings: object

    def token(self, staff_id: int = 1, **roles) -> dict:
        roles = roles or {"admin": []}
        return {"Authorization": f"Bearer {staff_token(self.settings, roles, staff_id, name=f'Staff {staff_id}')}"}

    def call(self, method: str, path: str, expect: int = 200, headers=None, **kwargs):
        response = self.client.open(path, method=method, headers=headers or self.token(), **kwargs)
        assert response.status_code == expect, (path, response.status_code, response.get_data(as_text=True)[:500])
        return response

    def rows(self, service: str) -> str:
        """Every row of every table of a service, as one text to search."""
        runtime = self.embedded.runtimes[service]
        found = []
        with runtime.engine.connect() as connection:
            for table in runtime.service.base.metadata.sorted_tables:
                found += [repr(tuple(row)) for row in connection.execute(select(table))]
        return "\n".join(found)

    def mail_files(self, containing: str = "") -> list:
        """The embedded mail sink's `.eml` files (those whose text contains `containing`)."""
        folder = self.settings.var_dir / "mail"
        return [path for path in sorted(folder.glob("*.eml")) if containing in path.read_text(errors="replace")]

    def quiet(self):
        """Wait until every event is published and handled by every handler subscribed to it
        (dead letters aside): `Embedded.quiet` says why queues alone cannot tell."""
        wait_until(self.embedded.quiet, timeout=30, message="the bus to be quiet")


def start(tmp_path, **env) -> System:
    return start_with_env(embedded_env(tmp_path / "var", **env))


def start_with_env(env: dict) -> System:
    """The four services and their workers in this process, on the setup `env` describes."""
    settings = load(env)
    migrate_all(settings)
    embedded = Embedded(settings)
    embedded.start_workers()
    return System(embedded, Client(embedded.app), settings)


def run_journey(system: System) -> dict:
    """Everything one expert by experience does in a programme; returns the ids met on the way."""
    call = system.call
    starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)
    call("POST", "/registration/api/themes", 201, json={"code": "T1", "title": "Transforming community care"})
    exchange = call("POST", "/registration/api/exchanges", 201, json={
        "title": "An illustrative exchange", "theme": "T1", "host": {"name": "Example Health Board"},
        "location": {"site": "Example Hub", "town": "Aberystwyth"}, "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=4)).isoformat(), "capacity": 5,
        "booking_closes_at": (starts - timedelta(days=10)).isoformat(), "description": "Illustrative.",
        "learning_outcomes": ["An outcome"]}).json
    exchange_id = exchange["id"]
    applied = call("POST", "/registration/api/applications", 201, headers={}, json={
        "applicant": {"name": NAME, "email": EMAIL, "organisation": "Example Peer Network", "role": "Peer worker",
                      "participant_type": "experience", "stakeholder_group": "lived experience", "language": "en",
                      "access_needs": ACCESS_NEEDS},
        "exchange_ids": [exchange_id], "line_manager_permission": "not_applicable", "will_attend_sessions": True,
        "privacy_notice_accepted": True}).json
    token = applied["manage_token"]
    # the confirmation email
    wait_until(lambda: call("GET", f"/notifications/api/messages?to={EMAIL}").json, message="the confirmation")

    # the exchange took place ten days ago (moved back in time, as a replay of the programme)
    ended = (datetime.now(UTC) - timedelta(days=10)).replace(microsecond=0)
    with system.embedded.runtimes["registration"].engine.begin() as connection:
        connection.execute(text("UPDATE exchanges SET starts_at = :s, ends_at = :e, booking_closes_at = :c"),
                           {"s": ended - timedelta(hours=4), "e": ended, "c": ended - timedelta(days=20)})
    call("PATCH", f"/registration/api/exchanges/{exchange_id}", json={"description": "Illustrative, and done."})
    # the host records attendance and writes the summary; a lead of its theme approves it
    host, lead = system.token(21, host=[exchange_id]), system.token(22, theme_lead=["T1"])
    call("POST", f"/registration/api/exchanges/{exchange_id}/attendance", headers=host,
         json={"email": EMAIL, "stage": "exchange", "attended": True})
    system.quiet()

    call("PUT", f"/learning/api/exchanges/{exchange_id}/summary", headers=host, json={
        "key_insights": ["Open doors work"], "outcomes_met": ["An outcome"], "contributors": ["Example Health Board"]})
    call("POST", f"/learning/api/exchanges/{exchange_id}/summary/submit", headers=host)
    call("POST", f"/learning/api/exchanges/{exchange_id}/summary/approve", headers=lead)
    call("POST", "/learning/api/feedback", 201, headers={}, json={
        "manage_token": token, "about": f"exchange:{exchange_id}", "would_recommend": True, "rating": 5,
        "comment": "Thank you"})
    call("PUT", "/learning/api/reflections", headers={}, json={
        "manage_token": token, "exchange_id": exchange_id, "text": REFLECTION_TEXT, "credit_as": NAME})

    day = ended.date().isoformat()
    claim = call("POST", "/expenses/api/claims", 201, headers={}, json={
        "manage_token": token, "exchange_id": exchange_id, "bank": {
            "account_name": "C Example", "sort_code": SORT_CODE, "account_number": ACCOUNT},
        "items": [{"type": "mileage", "date": day, "from": "Llandysul", "to": "Aberystwyth", "miles": 25,
                   "vehicle": "car", "passengers": 0}]}).json
    maker, checker = system.token(11, finance=[]), system.token(12, finance=[])
    call("POST", f"/expenses/api/claims/{claim['id']}/approve", headers=system.token(13, finance=[]), json={})
    run = call("POST", "/expenses/api/payment-runs", 201, headers=maker, json={}).json
    call("POST", f"/expenses/api/payment-runs/{run['id']}/approve", headers=checker, json={})
    call("POST", f"/expenses/api/payment-runs/{run['id']}/confirm", headers=checker, json={})
    system.quiet()
    return {"exchange_id": exchange_id, "manage_token": token, "claim_id": claim["id"]}


def request_privacy(system: System, kind: str) -> dict:
    """Ask for the applicant's data or its erasure, and wait until every service has answered."""
    made = system.call("POST", "/registration/api/privacy/requests", 202, json={"email": EMAIL, "kind": kind}).json
    return wait_until(lambda: (lambda r: r if r["status"] == "complete" else None)(
        system.call("GET", f"/registration/api/privacy/requests/{made['id']}").json),
        timeout=30, message=f"every service to answer the {kind} request")
