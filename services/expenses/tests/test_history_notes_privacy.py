"""What people wrote on a claim (the claimant's answers, finance's questions and reasons, the masked
bank change) is theirs: a subject access export includes the claim's history with it, and erasure
(or retention) removes it, while the history's lines themselves (who, when, from, to) stay for the
finance audit, append-only."""

from __future__ import annotations

from sqlalchemy import func, select, text, update

from services.expenses import privacy
from services.expenses.models import ClaimHistory, Outbox
from shared.db import utcnow
from shared.privacy import Subject

from .conftest import TOKEN, cost, submit

QUESTION = "Was the taxi needed because of your epilepsy?"
ANSWER = "Yes: after a seizure I cannot take the train alone."
REASON = "Taxis are paid only with a letter from your GP."
NEW_BANK = {"account_name": "A Example", "sort_code": "61-22-93", "account_number": "48120937"}
WRITTEN = (QUESTION, ANSWER, REASON, "****0937")


def a_claim_with_words_in_its_history(client, fin):
    claim = submit(client, [cost(500)]).json
    client.post(f"/expenses/api/claims/{claim['id']}/query", json={"question": QUESTION}, headers=fin)
    client.put(f"/expenses/api/claims/{claim['id']}", json={"manage_token": TOKEN, "items": [cost(500)],
                                                          "bank": NEW_BANK, "answer": ANSWER})
    assert client.post(f"/expenses/api/claims/{claim['id']}/reject", json={"reason": REASON},
                       headers=fin).status_code == 200
    notes = " ".join(h["note"] or "" for h in client.get(f"/expenses/api/claims/{claim['id']}/history",
                                                         headers=fin).json)
    assert all(words in notes for words in WRITTEN)  # the test means something
    return claim


def everything_stored(runtime) -> str:
    """Every text value of every table of expenses' database, as one string."""
    with runtime.engine.connect() as connection:
        tables = [row[0] for row in connection.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'"))]
        return "\n".join(str(value) for table in tables
                         for row in connection.execute(text(f'SELECT * FROM "{table}"')) for value in row)


def test_subject_access_includes_the_claims_history_with_what_was_written_in_it(client, bus, runtime, fin):
    claim = a_claim_with_words_in_its_history(client, fin)
    with runtime.session() as session:
        exported = privacy.export(session, Subject(key="not-an-email-key", application_ids=(1,)))
    [their_claim] = exported["claims"]
    history = their_claim["history"]
    assert [h["action"] for h in history] == ["created", "submitted", "queried", "bank_details_changed",
                                             "answered", "rejected"]
    notes = " ".join(h["text"] or "" for h in history)
    assert all(words in notes for words in WRITTEN)
    assert their_claim["id"] == claim["id"]


def test_erasure_removes_what_was_written_in_the_history_and_keeps_its_lines(client, bus, runtime, fin):
    claim = a_claim_with_words_in_its_history(client, fin)
    with runtime.session() as session:
        lines = session.scalar(select(func.count(ClaimHistory.id)))
    with runtime.session() as session, session.begin():
        privacy.erase(session, Subject(key="not-an-email-key", application_ids=(1,)))
    history = client.get(f"/expenses/api/claims/{claim['id']}/history", headers=fin).json
    assert len(history) == lines and [h["action"] for h in history][-1] == "rejected"
    assert not any(words in (h["note"] or "") for h in history for words in WRITTEN)
    stored = everything_stored(runtime)
    assert not any(words in stored for words in WRITTEN)


def test_retention_removes_what_was_written_in_every_history(client, bus, runtime, fin):
    a_claim_with_words_in_its_history(client, fin)
    with runtime.session() as session, session.begin():
        session.execute(update(Outbox).values(sent_at=utcnow()))  # published by now (no relay runs here)
        privacy.forget_everyone(session)
    stored = everything_stored(runtime)
    assert not any(words in stored for words in WRITTEN)
    with runtime.session() as session, session.begin():
        assert privacy.forget_everyone(session) == 0  # idempotent: a second run changes nothing
