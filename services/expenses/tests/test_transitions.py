"""Every state transition, allowed and refused, by who asks: the claimant (manage token), finance,
other staff, nobody."""

from __future__ import annotations

import pytest

from .conftest import BANK, TOKEN, cost, journey, submit

OTHER = "other-claimant-token-abcdefghijklmnopqrstuvwxyz"


@pytest.fixture
def claim(client, bus):
    response = submit(client, [journey(10), cost(500)])
    assert response.status_code == 201
    return response.json


def act(client, claim_id, action, headers=None, **body):
    return client.post(f"/expenses/api/claims/{claim_id}/{action}", json=body, headers=headers or {})


def status(client, claim_id, fin):
    return client.get(f"/expenses/api/claims/{claim_id}", headers=fin).json["status"]


def test_submitted_then_queried_then_answered_then_approved(client, claim, fin):
    assert act(client, claim["id"], "query", fin, question="Which station?").json["status"] == "queried"
    view = client.get(f"/expenses/api/claims/{claim['id']}?manage_token={TOKEN}").json
    assert view["question"] == "Which station?"
    # answering needs an answer
    body = {"manage_token": TOKEN, "items": [journey(10), cost(500)]}
    assert client.put(f"/expenses/api/claims/{claim['id']}", json=body).status_code == 422
    answered = client.put(f"/expenses/api/claims/{claim['id']}", json={**body, "answer": "Aberystwyth"})
    assert answered.status_code == 200 and answered.json["status"] == "submitted"
    assert answered.json["answer"] == "Aberystwyth"
    assert act(client, claim["id"], "approve", fin).json["status"] == "approved"
    actions = [h["action"] for h in client.get(f"/expenses/api/claims/{claim['id']}/history", headers=fin).json]
    assert actions == ["created", "submitted", "queried", "answered", "approved"]


def test_rejection_needs_a_reason_and_the_claimant_sees_it(client, claim, fin):
    assert act(client, claim["id"], "reject", fin, reason="  ").status_code == 422
    assert act(client, claim["id"], "reject", fin).status_code == 422
    assert act(client, claim["id"], "reject", fin, reason="Not an exchange cost").json["status"] == "rejected"
    assert client.get(f"/expenses/api/claims/{claim['id']}?manage_token={TOKEN}").json["reason"] == "Not an exchange cost"


def test_a_query_needs_a_question(client, claim, fin):
    assert act(client, claim["id"], "query", fin, question="").status_code == 422
    assert status(client, claim["id"], fin) == "submitted"


def test_approve_selected_lines_pays_only_those_and_needs_a_note(client, claim, fin):
    first, second = (i["id"] for i in claim["items"])
    assert act(client, claim["id"], "approve", fin, item_ids=[first]).status_code == 422
    assert act(client, claim["id"], "approve", fin, item_ids=[]).status_code == 422
    assert act(client, claim["id"], "approve", fin, item_ids=[999], note="x").status_code == 422
    approved = act(client, claim["id"], "approve", fin, item_ids=[first], note="Parking is not covered")
    assert approved.status_code == 200
    assert approved.json["approved_pence"] == claim["items"][0]["amount_pence"]
    assert [i["approved"] for i in approved.json["items"]] == [True, False]


@pytest.mark.parametrize("action,body", [("approve", {}), ("reject", {"reason": "r"}), ("query", {"question": "q"})])
def test_finance_decisions_are_refused_to_everyone_but_finance(client, claim, auth, action, body):
    assert act(client, claim["id"], action, None, **body).status_code == 401
    assert act(client, claim["id"], action, {"Authorization": "Bearer forged"}, **body).status_code == 401
    assert act(client, claim["id"], action, auth(host=[1]), **body).status_code == 403
    assert act(client, claim["id"], action, auth(theme_lead=["T1"]), **body).status_code == 403
    # the claimant's manage token is not a staff credential
    assert act(client, claim["id"], action, None, manage_token=TOKEN, **body).status_code == 401


@pytest.mark.parametrize("action,body", [("approve", {}), ("reject", {"reason": "r"}), ("query", {"question": "q"})])
def test_finance_decisions_are_refused_from_any_status_but_submitted(client, claim, fin, action, body):
    act(client, claim["id"], "query", fin, question="Which station?")
    response = act(client, claim["id"], action, fin, **body)
    assert response.status_code == 409 and response.json["error"]["code"] == "invalid_transition"


def test_decided_claims_cannot_be_changed_or_withdrawn_by_the_claimant(client, claim, fin):
    act(client, claim["id"], "approve", fin)
    body = {"manage_token": TOKEN, "items": [journey(10)], "answer": "x"}
    assert client.put(f"/expenses/api/claims/{claim['id']}", json=body).status_code == 409
    assert client.post(f"/expenses/api/claims/{claim['id']}/withdraw", json={"manage_token": TOKEN}).status_code == 409
    assert act(client, claim["id"], "approve", fin).status_code == 409
    assert act(client, claim["id"], "reject", fin, reason="late").status_code == 409


def test_the_claimant_may_withdraw_a_submitted_or_queried_claim(client, claim, fin):
    act(client, claim["id"], "query", fin, question="?")
    withdrawn = client.post(f"/expenses/api/claims/{claim['id']}/withdraw", json={"manage_token": TOKEN})
    assert withdrawn.json["status"] == "withdrawn"
    assert act(client, claim["id"], "approve", fin).status_code == 409


def test_a_claimant_amends_rather_than_duplicates(client, claim):
    again = submit(client, [journey(5)])
    assert again.status_code == 409 and again.json["error"]["code"] == "claim_exists"
    amended = client.put(f"/expenses/api/claims/{claim['id']}", json={"manage_token": TOKEN, "items": [journey(5)]})
    assert amended.status_code == 200 and len(amended.json["items"]) == 1


def test_another_claimant_sees_404_for_a_claim_not_theirs(client, claim, bus):
    bus.claimant(2, 1, OTHER)
    assert client.get(f"/expenses/api/claims/{claim['id']}?manage_token={OTHER}").status_code == 404
    assert client.get(f"/expenses/api/claims/{claim['id']}?manage_token=unknown").status_code == 404
    assert client.get("/expenses/api/claims/999?manage_token=" + TOKEN).status_code == 404
    body = {"manage_token": OTHER, "items": [journey(5)], "bank": BANK}
    assert client.put(f"/expenses/api/claims/{claim['id']}", json=body).status_code == 404
    assert client.post(f"/expenses/api/claims/{claim['id']}/withdraw", json={"manage_token": OTHER}).status_code == 404


def test_only_finance_lists_claims_and_reads_history(client, claim, auth, fin):
    assert client.get("/expenses/api/claims").status_code == 401
    assert client.get("/expenses/api/claims", headers=auth(host=[1])).status_code == 403
    assert client.get(f"/expenses/api/claims/{claim['id']}/history", headers=auth(host=[1])).status_code == 403
    listed = client.get("/expenses/api/claims?status=submitted", headers=fin)
    assert [c["id"] for c in listed.json] == [claim["id"]]
    assert listed.headers["X-Total-Count"] == "1" and listed.headers["X-Total-Pence"] == str(claim["total_pence"])
