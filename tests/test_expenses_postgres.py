"""Expenses on PostgreSQL: the history's and the audit log's triggers refuse changes whoever asks, and
two payment runs made at once never gather the same claim."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from services.expenses import create_app
from services.expenses.tests.conftest import TOKEN, cost, submit
from shared.testing import staff_token

pytestmark = pytest.mark.integration


def test_the_database_refuses_to_change_the_history(expenses_pg):
    runtime, client, bus, _ = expenses_pg
    bus.claimant(1, 1, TOKEN)
    assert submit(client, [cost(500)]).status_code == 201
    for statement in ("UPDATE claim_history SET note = 'x'", "DELETE FROM claim_history", "TRUNCATE claim_history"):
        with runtime.engine.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text(statement))


def test_the_database_refuses_to_rewrite_the_audit_log_but_lets_an_erasure_through(expenses_pg):
    runtime, client, bus, settings = expenses_pg
    bus.claimant(1, 1, TOKEN)
    claim = submit(client, [cost(500)]).json
    finance = {"Authorization": "Bearer " + staff_token(settings, {"finance": []}, 9)}
    assert client.post(f"/expenses/api/claims/{claim['id']}/reject", json={"reason": "No"}, headers=finance
                       ).status_code == 200
    for statement in ("UPDATE audit SET action = 'claim.approved'", "UPDATE audit SET actor_email = NULL",
                      "DELETE FROM audit", "TRUNCATE audit"):
        with runtime.engine.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
            connection.execute(text(statement))
    with runtime.engine.begin() as connection:  # an erasure keeps when, what, about what and who, and says so
        connection.execute(text("UPDATE audit SET actor_email = NULL, erased_at = now()"))


def test_two_runs_made_at_once_never_share_a_claim(expenses_pg):
    runtime, client, bus, settings = expenses_pg
    approver = {"Authorization": "Bearer " + staff_token(settings, {"finance": []}, 9)}
    for n in range(1, 21):
        token = f"{TOKEN}-{n}"
        bus.claimant(n, 1, token)
        claim = submit(client, [cost(500 + n)], token=token).json
        assert client.post(f"/expenses/api/claims/{claim['id']}/approve", headers=approver).status_code == 200
    results = []
    # Two finance users' apps, made here: building Flask apps in two threads at once trips a
    # CPython 3.11 bug in ast (werkzeug compiles each route), which killed one of the threads.
    clients = {staff_id: create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client() for staff_id in (1, 2)}

    def make(staff_id):
        headers = {"Authorization": "Bearer " + staff_token(settings, {"finance": []}, staff_id)}
        results.append(clients[staff_id].post("/expenses/api/payment-runs", headers=headers))

    threads = [threading.Thread(target=make, args=(i,)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2, "both finance users had an answer"
    counts = sorted(r.json.get("claims", 0) for r in results if r.status_code == 201)
    assert sum(counts) == 20
    with runtime.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM claims WHERE status = 'in_run'")).scalar() == 20


def test_erasure_removes_what_was_written_on_the_history_and_the_triggers_still_hold(expenses_pg):
    from services.expenses import privacy
    from shared.privacy import Subject

    runtime, client, bus, settings = expenses_pg
    bus.claimant(1, 1, TOKEN)
    claim = submit(client, [cost(500)]).json
    finance = {"Authorization": "Bearer " + staff_token(settings, {"finance": []}, 9)}
    client.post(f"/expenses/api/claims/{claim['id']}/query", json={"question": "Which hospital?"}, headers=finance)
    client.put(f"/expenses/api/claims/{claim['id']}", json={"manage_token": TOKEN, "items": [cost(500)],
                                                          "answer": "Glangwili", "bank": {
                                                              "account_name": "A Example", "sort_code": "61-22-93",
                                                              "account_number": "48120937"}})
    history = client.get(f"/expenses/api/claims/{claim['id']}/history", headers=finance).json
    assert {"Which hospital?", "Glangwili", "**-**-57 ****3445 → **-**-93 ****0937"} <= {h["note"] for h in history}
    with runtime.session() as session, session.begin():
        privacy.erase(session, Subject(key="not-an-email-key", application_ids=(1,)))
    after = client.get(f"/expenses/api/claims/{claim['id']}/history", headers=finance).json
    assert [h["action"] for h in after] == [h["action"] for h in history]
    assert {h["note"] for h in after} == {None}
    with runtime.engine.connect() as connection, pytest.raises(DatabaseError, match="append-only"):
        connection.execute(text("UPDATE claim_history SET note = 'x'"))
