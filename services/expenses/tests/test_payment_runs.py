"""Payment runs: gather approved claims, export them, and a second finance user releases them."""

from __future__ import annotations

import csv
import io
import json

from openpyxl import load_workbook
from sqlalchemy import select

from services.expenses.models import Outbox

from .conftest import TOKEN, cost, journey, submit

SECOND = "second-claimant-token-abcdefghijklmnopqrstuvwxyz"


def approved_claims(client, bus, approver):
    bus.claimant(2, 1, SECOND)
    first = submit(client, [journey(10), cost(500)]).json
    second = submit(client, [cost(700)], token=SECOND,
                    bank={"account_name": "B Example", "sort_code": "012345", "account_number": "0012 3456"}).json
    for claim in (first, second):
        assert client.post(f"/expenses/api/claims/{claim['id']}/approve", headers=approver).status_code == 200
    return first, second


def test_a_run_gathers_approved_claims_and_exports_them(client, bus, fin):
    first, second = approved_claims(client, bus, fin)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    assert run["claims"] == 2 and run["total_pence"] == first["total_pence"] + second["total_pence"]
    exported = client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin)
    assert exported.headers["Content-Disposition"].startswith("attachment")
    rows = list(csv.reader(io.StringIO(exported.data.decode())))
    assert rows[0] == ["payee_name", "sort_code", "account_number", "amount", "reference"]
    assert rows[2] == ["B Example", "01-23-45", "00123456", "7.00", f"KX EXP {second['id']}"]
    book = load_workbook(io.BytesIO(client.get(f"/expenses/api/payment-runs/{run['id']}/export.xlsx",
                                               headers=fin).data))
    values = list(book.active.values)
    assert values[2][:4] == ("B Example", "01-23-45", "00123456", 7.0)
    assert values[-1][0] == "Total" and values[-1][3] == run["total_pence"] / 100
    assert client.get(f"/expenses/api/claims/{first['id']}", headers=fin).json["status"] == "in_run"


def test_the_maker_cannot_confirm_their_own_run(client, bus, fin, auth):
    approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    refused = client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "maker_cannot_confirm"


def test_nobody_approves_and_releases_the_same_claim(client, bus, fin, fin2):
    approved_claims(client, bus, fin2)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    refused = client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "approver_cannot_release"


def test_a_second_finance_user_confirms_and_the_claims_are_paid(client, bus, runtime, fin, fin2, auth):
    first, _ = approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    confirmed = client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2)
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed"
    mine = client.get(f"/expenses/api/claims/{first['id']}?manage_token={TOKEN}").json
    assert mine["status"] == "paid" and mine["paid_at"]
    with runtime.session() as session:
        paid = [json.loads(e) for e in session.scalars(select(Outbox.envelope).where(Outbox.type == "expenses.claim.paid"))]
    assert sorted(e["data"]["claim_id"] for e in paid) == [1, 2]
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2).status_code == 409
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/cancel", headers=fin2).status_code == 409
    history = client.get(f"/expenses/api/claims/{first['id']}/history", headers=fin).json
    assert [h["action"] for h in history][-2:] == ["added_to_run", "paid"]


def test_a_run_can_be_cancelled_before_confirmation(client, bus, fin, fin2):
    first, _ = approved_claims(client, bus, fin2)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/cancel", headers=fin).json["status"] == "cancelled"
    assert client.get(f"/expenses/api/claims/{first['id']}", headers=fin).json["status"] == "approved"
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2).status_code == 409
    assert client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin).status_code == 409
    again = client.post("/expenses/api/payment-runs", headers=fin).json
    assert again["claims"] == 2


def test_there_is_no_run_without_approved_claims(client, bus, fin):
    submit(client, [cost(500)])
    refused = client.post("/expenses/api/payment-runs", headers=fin)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "nothing_to_pay"


def test_only_finance_makes_confirms_and_exports_runs(client, bus, fin, auth):
    approved_claims(client, bus, fin)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    for method, path in (("post", "/expenses/api/payment-runs"), ("get", f"/expenses/api/payment-runs/{run['id']}/export.csv"),
                         ("get", f"/expenses/api/payment-runs/{run['id']}/export.xlsx"),
                         ("post", f"/expenses/api/payment-runs/{run['id']}/confirm")):
        assert getattr(client, method)(path).status_code == 401
        assert getattr(client, method)(path, headers=auth(host=[1])).status_code == 403
