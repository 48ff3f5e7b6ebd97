"""Separation of duties in expenses: only `finance` does finance's work (an admin who is not also
finance is refused), nobody decides a claim whose claimant has their own email, nobody gathers or
approves or releases a run holding their own claim, and the maker of a run does not approve it."""

from __future__ import annotations

import pytest

from .conftest import cost, submit


@pytest.fixture
def own(auth):
    """Finance whose email is the `bus` fixture's claimant's (person1@example.org, shared/factories.py),
    written with other capitals."""
    return auth(finance=[], staff_id=40, email="Person1@Example.ORG")


@pytest.mark.parametrize(("method", "path"), [
    ("get", "/expenses/api/claims"), ("get", "/expenses/api/dashboard"), ("get", "/expenses/api/payment-runs"),
    ("post", "/expenses/api/payment-runs"), ("get", "/expenses/api/claims/1/history"),
    ("post", "/expenses/api/claims/1/approve"), ("post", "/expenses/api/claims/1/reject"),
    ("post", "/expenses/api/claims/1/query"), ("get", "/expenses/finance/"), ("get", "/expenses/finance/runs"),
    ("get", "/expenses/finance/claims/1"), ("get", "/expenses/finance/dashboard"),
])
def test_an_admin_who_is_not_finance_is_refused_finances_work(client, bus, auth, method, path):
    submit(client, [cost(500)])
    assert getattr(client, method)(path, headers=auth(admin=[], staff_id=50)).status_code == 403
    assert getattr(client, method)(path, headers=auth(admin=[], host=[1], theme_lead=["T1"])).status_code == 403
    if method == "get":
        assert getattr(client, method)(path, headers=auth(admin=[], finance=[], staff_id=51)).status_code == 200


def test_nobody_decides_their_own_claim_through_the_api(client, bus, own, fin):
    claim = submit(client, [cost(500)]).json
    for action, body in (("approve", {}), ("reject", {"reason": "No"}), ("query", {"question": "Why?"}),
                         ("approve", {"item_ids": "not a list"})):
        refused = client.post(f"/expenses/api/claims/{claim['id']}/{action}", json=body, headers=own)
        assert refused.status_code == 403, (action, refused.json)
        assert refused.json["error"]["code"] == "own_claim"
        assert "your own claim" in refused.json["error"]["message"]
    assert client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).json["status"] == "submitted"
    assert client.post(f"/expenses/api/claims/{claim['id']}/approve", json={}, headers=fin).status_code == 200


def test_someone_else_in_finance_may_decide_it(client, bus, auth):
    claim = submit(client, [cost(500)]).json
    other = auth(finance=[], staff_id=41, email="someone.else@example.org")
    assert client.post(f"/expenses/api/claims/{claim['id']}/query", json={"question": "Return?"},
                       headers=other).status_code == 200


def test_the_claim_page_says_why_and_refuses_the_decision(client, bus, own, fin):
    claim = submit(client, [cost(500)]).json
    assert ">Approve</button>" in client.get(f"/expenses/finance/claims/{claim['id']}", headers=fin).get_data(as_text=True)
    page = client.get(f"/expenses/finance/claims/{claim['id']}", headers=own).get_data(as_text=True)
    assert "This is your own claim, so someone else in finance must decide it." in page
    assert ">Approve</button>" not in page and "/reject" not in page and "/query" not in page
    refused = client.post(f"/expenses/finance/claims/{claim['id']}/approve", data={"scope": "all"}, headers=own)
    assert refused.status_code == 403
    body = refused.get_data(as_text=True)
    assert "There is a problem" in body and "someone else in finance must decide it" in body
    welsh = client.post(f"/expenses/finance/claims/{claim['id']}/reject?lang=cy", data={"reason": "Na"}, headers=own)
    assert welsh.status_code == 403 and "rhaid i rywun arall yn y tîm cyllid benderfynu arno" in welsh.get_data(as_text=True)


def test_nobody_gathers_approves_or_releases_a_run_holding_their_own_claim(client, bus, own, fin, fin2, auth):
    claim = submit(client, [cost(500)]).json
    assert client.post(f"/expenses/api/claims/{claim['id']}/approve", json={}, headers=fin2).status_code == 200
    refused = client.post("/expenses/api/payment-runs", headers=own)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "own_claim"
    assert f"{claim['id']}" in refused.json["error"]["message"]
    assert client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).json["status"] == "approved"
    page = client.post("/expenses/finance/runs", headers=own)
    assert page.status_code == 403 and "someone else in finance must pay them" in page.get_data(as_text=True)
    run = client.post("/expenses/api/payment-runs", headers=fin).json
    refused = client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=own)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "own_claim"
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=auth(finance=[], staff_id=44)
                       ).status_code == 200
    refused = client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=own)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "own_claim"
    assert client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).json["status"] == "in_run"


def test_the_maker_of_a_run_cannot_approve_it_even_with_every_other_role(client, bus, auth, fin2):
    claim = submit(client, [cost(500)]).json
    client.post(f"/expenses/api/claims/{claim['id']}/approve", json={}, headers=fin2)
    maker = auth(finance=[], admin=[], staff_id=42, email="maker@example.org")
    run = client.post("/expenses/api/payment-runs", headers=maker).json
    refused = client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=maker)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "maker_cannot_approve"
    page = client.post(f"/expenses/finance/runs/{run['id']}/approve", headers=maker)
    assert page.status_code == 403 and "different member of finance staff" in page.get_data(as_text=True)
    assert client.get(f"/expenses/api/payment-runs/{run['id']}/export.csv", headers=maker).status_code == 409
    checker = auth(finance=[], staff_id=43, email="checker@example.org")
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=checker).status_code == 200
