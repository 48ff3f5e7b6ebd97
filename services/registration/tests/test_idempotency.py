"""`idempotency.answer_once`, the one sequence behind the API's Idempotency-Key and the apply
pages' hidden key: the first request answers, a retry gets that answer without anything running
again, a twin still at work is refused (409), and a refused first attempt leaves the key free."""

from __future__ import annotations

import pytest

from services.registration.operations import idempotency
from shared.errors import ApiError

SECRET = "a-secret-that-is-long-enough-for-the-test-to-derive-a-key"


def _answer_once(session, answer, key="k-1", body=b"{}"):
    return idempotency.answer_once(session, SECRET, "test", key, body, answer, busy_message="still at work")


def test_the_first_request_answers_and_a_retry_gets_the_same_answer_without_running_again(runtime):
    runs = []

    def answer():
        runs.append(1)
        return 201, {"application_id": 7}

    with runtime.session() as session:
        first = _answer_once(session, answer)
        session.commit()
    with runtime.session() as session:
        again = _answer_once(session, answer)
    assert (first.status, first.body) == (again.status, again.body) == (201, {"application_id": 7})
    assert runs == [1]


def test_a_twin_request_that_holds_the_key_without_an_answer_is_refused_with_the_callers_message(
        runtime, monkeypatch):
    monkeypatch.setattr(idempotency, "claim", lambda *args: None)  # the twin's row is in the way
    with runtime.session() as session, pytest.raises(ApiError) as refused:
        _answer_once(session, lambda: pytest.fail("the answer must not run while a twin holds the key"))
    assert (refused.value.status, refused.value.message) == (409, "still at work")


def test_a_refused_first_attempt_leaves_the_key_free_for_the_retry(runtime):
    def refuse():
        raise ApiError(422, "no such exchange")

    with runtime.session() as session, pytest.raises(ApiError):
        _answer_once(session, refuse)  # the request rolls back: its claim goes with it
    with runtime.session() as session:
        retried = _answer_once(session, lambda: (201, {"application_id": 8}))
    assert retried.body == {"application_id": 8}
