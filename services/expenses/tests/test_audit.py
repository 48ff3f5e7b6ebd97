"""Expenses' audit log: finance's decisions and payment runs, each an entry, through the API."""

from __future__ import annotations

from .conftest import cost, submit
from .test_payment_runs import SECOND, approved_claims


def log(client, auth, **query):
    response = client.get("/expenses/api/audit", query_string=query, headers=auth(admin=[]))
    assert response.status_code == 200, response.json
    return response.json


def test_claim_decisions_are_written(client, bus, auth, fin):
    bus.claimant(2, 1, SECOND)
    queried = submit(client, [cost(500)]).json["id"]
    rejected = submit(client, [cost(700)], token=SECOND).json["id"]
    client.post(f"/expenses/api/claims/{queried}/query", json={"question": "Which train?"}, headers=fin)
    client.post(f"/expenses/api/claims/{rejected}/reject", json={"reason": "Not claimable"}, headers=fin)
    entries = log(client, auth)
    assert [(e["action"], e["subject"], e["before"], e["after"], e["actor"]["id"]) for e in entries] == [
        ("claim.rejected", {"kind": "claim", "id": str(rejected)}, {"status": "submitted"}, {"status": "rejected"}, 11),
        ("claim.queried", {"kind": "claim", "id": str(queried)}, {"status": "submitted"}, {"status": "queried"}, 11)]
    assert "Which train" not in str(entries), "the question stays in the claim's own history"


def test_approvals_and_payment_runs_are_written(client, bus, auth, fin, fin2):
    first, _second = approved_claims(client, bus, fin)
    run = client.post("/expenses/api/payment-runs", headers=fin2).json
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/approve", headers=auth(finance=[], staff_id=13)
                       ).status_code == 200
    assert client.post(f"/expenses/api/payment-runs/{run['id']}/confirm", headers=auth(finance=[], staff_id=13)
                       ).status_code == 200
    entries = log(client, auth)
    assert [e["action"] for e in entries] == ["payment_run.confirmed", "payment_run.approved", "payment_run.created",
                                              "claim.approved", "claim.approved"]
    assert entries[1]["after"]["status"] == "approved" and entries[1]["actor"]["id"] == 13
    assert entries[2]["after"]["status"] == "open" and entries[2]["actor"]["id"] == 12
    assert entries[-1]["after"] == {"status": "approved", "approved_pence": first["total_pence"]}
    assert log(client, auth, action="claim.approved", per_page=1, page=2) == entries[4:]


def test_only_admins_read_it(client, bus, fin):
    assert client.get("/expenses/api/audit", headers=fin).status_code == 403
