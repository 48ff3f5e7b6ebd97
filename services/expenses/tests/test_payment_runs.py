"""Payment runs, four eyes: gather approved claims, a second finance user approves the run, only
then is its bank file exported, and the payments are then recorded as released."""

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


def test_a_run_gathers_approved_claims_and_exports_them(client, bus, fin, fin2):
    first, second = approved_claims(client, bus, fin)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    assert run["claims"] == 2 and run["total_pence"] == first["total_pence"] + second["total_pence"]
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin2).status_code == 200
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


def test_the_maker_cannot_approve_their_own_run(client, bus, fin, auth):
    approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    refused = client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "maker_cannot_approve"
    assert client.get(f"/expenses/api/payment-runs/{run['id']}", headers=fin).json["status"] == "open"


def test_nobody_approves_a_claim_and_the_run_that_pays_it(client, bus, fin, fin2):
    approved_claims(client, bus, fin2)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    refused = client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin2)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "approver_cannot_release"


def test_the_bank_file_is_refused_to_everyone_until_a_second_person_approves_the_run(client, bus, fin, fin2, auth):
    approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    for who in (fin, fin2):
        for kind in ("csv", "xlsx"):
            refused = client.get(f"/expenses/api/payment-runs/{run['id']}/export.{kind}", headers=who)
            assert refused.status_code == 409 and refused.json["error"]["code"] == "not_approved"
        page = client.get(f"/expenses/finance/runs/{run['id']}/export.csv", headers=who)
        assert page.status_code == 409 and "00123456" not in page.get_data(as_text=True)
    early = client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2)
    assert early.status_code == 409 and early.json["error"]["code"] == "not_approved"
    approved = client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin2).json
    assert approved["status"] == "approved" and approved["approved_by"] and approved["approved_at"]
    assert client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin).status_code == 200
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin2).status_code == 409


def test_after_approval_a_finance_user_records_the_payments_released(client, bus, runtime, fin, fin2, auth):
    first, _ = approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin2).status_code == 200
    confirmed = client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin)
    assert confirmed.status_code == 200 and confirmed.json["status"] == "confirmed"
    mine = client.get(f"/expenses/api/claims/{first['id']}?manage_token={TOKEN}").json
    assert mine["status"] == "paid" and mine["paid_at"]
    with runtime.session() as session:
        paid = [json.loads(e) for e in session.scalars(select(Outbox.envelope).where(Outbox.type == "expenses.claim.paid"))]
    assert sorted(e["data"]["claim_id"] for e in paid) == [1, 2]
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=fin2).status_code == 409
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/cancel", headers=fin2).status_code == 409
    assert client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin).status_code == 200
    history = client.get(f"/expenses/api/claims/{first['id']}/history", headers=fin).json
    assert [h["action"] for h in history][-2:] == ["added_to_run", "paid"]


def test_an_approved_run_can_still_be_cancelled_before_the_payments_are_released(client, bus, fin, fin2, auth):
    first, _ = approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=fin2)
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/cancel", headers=fin).json["status"] == "cancelled"
    assert client.get(f"/expenses/api/claims/{first['id']}", headers=fin).json["status"] == "approved"
    assert client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=fin).status_code == 409


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
                         ("post", f"/expenses/api/payment-runs/{run['id']}/approve"),
                         ("post", f"/expenses/api/payment-runs/{run['id']}/confirm")):
        assert getattr(client, method)(path).status_code == 401
        assert getattr(client, method)(path, headers=auth(host=[1])).status_code == 403


def test_the_run_pages_take_approval_and_release_as_two_steps_each_with_a_check_page(client, bus, fin, fin2, auth):
    approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    page_url = f"/expenses/finance/runs/{run['id']}"
    maker_page = client.get(page_url, headers=fin).get_data(as_text=True)
    assert "export.csv" not in maker_page and "once a second member of finance staff has approved" in maker_page
    assert "a different member of finance staff must approve it" in maker_page
    checker_page = client.get(page_url, headers=fin2).get_data(as_text=True)
    assert f'href="{page_url}/approve"' in checker_page and "export.csv" not in checker_page

    check = client.get(f"{page_url}/approve", headers=fin2).get_data(as_text=True)
    assert f"Approve payment run {run['id']}" in check and "Nothing is paid yet" in check
    assert f'action="{page_url}/approve"' in check
    assert client.get(f"{page_url}/confirm", headers=fin2).headers["Location"].endswith(page_url)  # not yet
    approved = client.post(f"{page_url}/approve", headers=fin2)
    assert approved.status_code == 302 and approved.headers["Location"].endswith("?done=approve")
    after = client.get(page_url + "?done=approve", headers=fin).get_data(as_text=True)
    assert "Its bank file can now be downloaded" in after and f"{page_url}/export.csv" in after
    assert f'href="{page_url}/confirm"' in after

    check = client.get(f"{page_url}/confirm", headers=fin).get_data(as_text=True)
    assert "only once the bank has made the payments" in check and "This cannot be undone" in check
    assert client.get(f"{page_url}/confirm?lang=cy", headers=fin).get_data(as_text=True).count("Cofnodi") >= 1
    assert client.post(f"{page_url}/confirm", headers=fin).status_code == 302
    assert client.get(f"/expenses/api/payment-runs/{run['id']}", headers=fin).json["status"] == "confirmed"
    assert client.get(f"{page_url}/approve", headers=fin2).status_code == 302


def test_the_maker_is_refused_approval_on_the_page_with_the_reason(client, bus, fin, auth):
    approved_claims(client, bus, auth(finance=[], staff_id=30))
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    refused = client.post(f"/expenses/finance/runs/{run['id']}/approve", headers=fin)
    assert refused.status_code == 403 and "There is a problem" in refused.get_data(as_text=True)
    refused = client.get(f"/expenses/finance/runs/{run['id']}/export.xlsx", headers=fin)
    assert refused.status_code == 409


def test_a_new_run_asks_for_a_second_finance_users_approval_on_the_bus(client, bus, runtime, fin, fin2):
    """`expenses.payment_run.created`: notifications asks every other finance user to approve it."""
    approved_claims(client, bus, fin2)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    with runtime.session() as session:
        [created] = [json.loads(row.envelope) for row in session.scalars(
            select(Outbox).where(Outbox.type == "expenses.payment_run.created"))]
    assert created["data"] == {"run_id": run["id"], "claims": 2, "total_pence": run["total_pence"],
                               "made_by": 11, "url": f"/expenses/finance/runs/{run['id']}"}  # `fin` made it
    assert "Example" not in json.dumps(created)  # no claimant, no bank detail
