"""`/api/` takes a bearer token only: a browser's session cookie alone is 401 there, so a page on
another site cannot make a signed-in finance user's browser approve a claim or make a payment run
(a `text/plain` body needs no CORS preflight, and the API has no CSRF token). The finance pages'
downloads (bank files, receipts) are served by the pages themselves, with the session."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.expenses.models import Claim, PaymentRun
from shared.testing import staff_token

from .conftest import cost, png_bytes, submit, upload


@pytest.fixture
def cookie_client(client, embedded_settings):
    """The test client with a finance user's session cookie, as sign-in leaves it (no bearer)."""
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(embedded_settings, {"finance": []}, staff_id=21)
    return client


def _status(runtime, claim_id):
    with runtime.session() as session:
        return session.get(Claim, claim_id).status


def test_approving_a_claim_with_the_session_cookie_and_a_text_plain_body_is_401_and_changes_nothing(
        cookie_client, bus, runtime):
    claim = submit(cookie_client, [cost(500)]).json
    before = _status(runtime, claim["id"])
    answer = cookie_client.post(f"/expenses/api/claims/{claim['id']}/approve", data="", content_type="text/plain")
    assert answer.status_code == 401 and answer.json["error"]["code"] == "unauthorised"
    assert _status(runtime, claim["id"]) == before


def test_making_a_payment_run_with_the_session_cookie_is_401_and_makes_none(cookie_client, bus, runtime, auth):
    claim = submit(cookie_client, [cost(500)]).json
    assert cookie_client.post(f"/expenses/api/claims/{claim['id']}/approve",
                              headers=auth(finance=[], staff_id=22)).status_code == 200
    answer = cookie_client.post("/expenses/api/payment-runs", data="", content_type="text/plain")
    assert answer.status_code == 401
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(PaymentRun)) == 0


def test_reading_the_api_with_the_session_cookie_is_401(cookie_client, bus):
    assert cookie_client.get("/expenses/api/claims").status_code == 401


def test_the_same_calls_with_a_bearer_token_still_work(client, bus, auth):
    claim = submit(client, [cost(500)]).json
    headers = auth(finance=[], staff_id=23)
    assert client.post(f"/expenses/api/claims/{claim['id']}/approve", headers=headers).status_code == 200
    assert client.post("/expenses/api/payment-runs", headers=headers).status_code == 201


def test_the_finance_pages_download_receipts_and_bank_files_with_the_session(cookie_client, bus, auth):
    receipt_id = upload(cookie_client, png_bytes()).json["receipt_id"]
    claim = submit(cookie_client, [cost(500, receipt_id=receipt_id)]).json
    assert cookie_client.post(f"/expenses/api/claims/{claim['id']}/approve",
                              headers=auth(finance=[], staff_id=22)).status_code == 200
    run = cookie_client.post("/expenses/api/payment-runs", headers=auth(finance=[], staff_id=22)).json
    assert cookie_client.post(f"/expenses/api/payment-runs/{run['id']}/approve",
                              headers=auth(finance=[], staff_id=24)).status_code == 200
    page = cookie_client.get(f"/expenses/finance/claims/{claim['id']}").get_data(as_text=True)
    assert "/expenses/api/" not in page
    run_page = cookie_client.get(f"/expenses/finance/runs/{run['id']}").get_data(as_text=True)
    assert "/expenses/api/" not in run_page
    assert cookie_client.get(f"/expenses/finance/receipts/{receipt_id}").status_code == 200
    exported = cookie_client.get(f"/expenses/finance/runs/{run['id']}/export.csv")
    assert exported.status_code == 200 and exported.headers["Content-Disposition"].startswith("attachment")
    assert cookie_client.get(f"/expenses/finance/runs/{run['id']}/export.xlsx").status_code == 200
