"""A change of bank details on a claim leaves a trace: a masked line in the claim's history, a flag
finance sees on the queue and the claim, and an email telling the claimant (through notifications'
own handler). No full sort code or account number in any of them, nor in the event or the logs."""

from __future__ import annotations

import json
import logging

from sqlalchemy import select

from services.expenses.models import Outbox
from services.notifications.handlers import HANDLERS as NOTIFICATIONS_HANDLERS
from services.notifications.models import Message
from shared import factories
from shared.testing import Deliveries

from .conftest import BANK, TOKEN, cost, submit

NEW = {"account_name": "Mallory Example", "sort_code": "61-22-93", "account_number": "48120937"}
#: every way the numbers could be written down
SECRETS = ("48120937", "61-22-93", "612293", "00733445", "30-94-57", "309457")
CHANGED = "expenses.claim.bank_details_changed"


def amend(client, claim_id, bank, token=TOKEN, **extra):
    return client.put(f"/expenses/api/claims/{claim_id}", json={"manage_token": token, "items": [cost(500)],
                                                                "bank": bank, **extra})


def history(client, claim_id, fin):
    return client.get(f"/expenses/api/claims/{claim_id}/history", headers=fin).json


def envelopes(runtime, event_type=None) -> list[dict]:
    with runtime.session() as session:
        query = select(Outbox.envelope).order_by(Outbox.id)
        if event_type:
            query = query.where(Outbox.type == event_type)
        return [json.loads(e) for e in session.scalars(query)]


def test_a_change_of_bank_details_is_written_to_the_claims_history_masked(client, bus, fin):
    claim = submit(client, [cost(500)]).json
    assert amend(client, claim["id"], NEW).status_code == 200
    [changed] = [h for h in history(client, claim["id"], fin) if h["action"] == "bank_details_changed"]
    assert changed["actor"] == "Claimant" and changed["from"] == changed["to"] == "submitted"
    assert "**-**-57" in changed["note"] and "****3445" in changed["note"]  # from
    assert "**-**-93" in changed["note"] and "****0937" in changed["note"]  # to
    assert not any(secret in json.dumps(history(client, claim["id"], fin)) for secret in SECRETS)


def test_the_same_bank_details_given_again_are_no_change(client, bus, runtime, fin):
    claim = submit(client, [cost(500)]).json
    assert amend(client, claim["id"], {**BANK, "sort_code": "309457", "account_number": "0073 3445"}).status_code == 200
    assert "bank_details_changed" not in [h["action"] for h in history(client, claim["id"], fin)]
    assert envelopes(runtime, CHANGED) == []
    assert client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).json["bank_changed_at"] is None


def test_bank_details_changed_on_the_claimants_page_are_recorded_too(client, bus, runtime, fin):
    claim = submit(client, [cost(500)]).json
    page = client.post(f"/expenses/manage/{TOKEN}/claims/{claim['id']}/bank", data=NEW)
    assert page.status_code == 302
    assert "bank_details_changed" in [h["action"] for h in history(client, claim["id"], fin)]
    assert len(envelopes(runtime, CHANGED)) == 1


def test_finance_sees_the_change_flagged_on_the_queue_and_on_the_claim(client, bus, fin):
    claim = submit(client, [cost(500)]).json
    amend(client, claim["id"], NEW)
    seen = client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).json
    assert seen["bank_changed_at"] and "bank_details_changed" in seen["flags"]
    [row] = client.get("/expenses/api/claims?flag=bank_details_changed", headers=fin).json
    assert row["id"] == claim["id"] and row["bank_changed_at"] == seen["bank_changed_at"]
    for page in ("/expenses/finance/", f"/expenses/finance/claims/{claim['id']}"):
        html = client.get(page, headers=fin).get_data(as_text=True)
        assert "Bank details changed on" in html, page
        assert not any(secret in html for secret in SECRETS)


def test_the_claimant_is_emailed_that_their_bank_details_changed(client, bus, runtime, notifications, fin, caplog):
    caplog.set_level(logging.DEBUG)
    claim = submit(client, [cost(500)]).json
    amend(client, claim["id"], NEW)
    [event] = envelopes(runtime, CHANGED)
    assert event["data"]["claim_id"] == claim["id"] and event["data"]["claimant_email"] == "person1@example.org"
    assert not any(secret in json.dumps(event) for secret in SECRETS)
    assert not any(s in json.dumps(envelopes(runtime)) for s in SECRETS)

    Deliveries(notifications, NOTIFICATIONS_HANDLERS).deliver(CHANGED, event["data"], envelope=event)
    with notifications.session() as session:
        [message] = session.scalars(select(Message))
    assert (message.recipient, message.template) == ("person1@example.org", "claim_bank_details_changed")
    assert message.subject == "The bank details on your expenses claim were changed"
    assert "If you did not change them" in message.text_body and "If you did not change them" in message.html_body
    assert not any(secret in message.text_body + message.html_body for secret in SECRETS)
    logged = caplog.text + "\n".join(r.getMessage() for r in caplog.records)
    assert not any(secret in logged for secret in SECRETS)


def test_a_welsh_claimant_is_told_in_welsh(client, bus, runtime, notifications):
    welsh = "welsh-claimant-token-abcdefghijklmnopqrstuvwxyz"
    bus.deliver("registration.booking.confirmed", factories.booking(
        2, 1, token=welsh, applicant={"participant_type": "experience", "language": "cy"}))
    bus.attended(2, 1)
    claim = submit(client, [cost(500)], token=welsh).json
    amend(client, claim["id"], NEW, token=welsh)
    [event] = envelopes(runtime, CHANGED)
    Deliveries(notifications, NOTIFICATIONS_HANDLERS).deliver(CHANGED, event["data"], envelope=event)
    with notifications.session() as session:
        [message] = session.scalars(select(Message))
    assert message.language == "cy"
    assert message.subject == "Cafodd y manylion banc ar eich hawliad treuliau eu newid"
