"""POST /applications and the manage-token endpoints, as the contract pins them: the answer's
shape, specific 422s with field paths, 400/413/429, nothing stored for a refusal, idempotency."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import func, select

from services.registration.models import Application, Booking, IdempotencyKey, Outbox

from .conftest import add_exchange


def application(ids, number=1, **overrides) -> dict:
    body = {
        "applicant": {"name": f"Person {number} Example", "email": f"person{number}@example.org",
                      "organisation": "Example Trust", "role": "Peer worker", "participant_type": "experience",
                      "stakeholder_group": "lived experience", "language": "cy", "access_needs": "Step-free access"},
        "exchange_ids": list(ids), "line_manager_permission": "not_applicable",
        "will_attend_sessions": True, "privacy_notice_accepted": True,
    }
    for path, value in overrides.items():
        target, *rest = path.split("__")
        if rest:
            if value is _DROP:
                body[target].pop(rest[0], None)
            else:
                body[target][rest[0]] = value
        elif value is _DROP:
            body.pop(target)
        else:
            body[target] = value
    return body


_DROP = object()


def stored(runtime) -> tuple[int, int, int, int]:
    with runtime.session() as session:
        return tuple(session.scalar(select(func.count()).select_from(model))
                     for model in (Application, Booking, Outbox, IdempotencyKey))


def test_applying_answers_201_with_the_bookings_and_a_manage_token(client, catalogue):
    response = client.post("/registration/api/applications", json=application([catalogue]))
    assert response.status_code == 201
    body = response.get_json()
    assert set(body) == {"application_id", "manage_token", "bookings", "warnings", "link"}
    assert body["link"] == "shown"
    assert body["bookings"] == [{"exchange_id": catalogue, "status": "confirmed", "waitlist_position": None}]
    assert len(body["manage_token"]) >= 22 and body["warnings"] == []


def test_the_manage_token_is_stored_only_as_its_hash(client, runtime, catalogue):
    token = client.post("/registration/api/applications", json=application([catalogue])).get_json()["manage_token"]
    with runtime.session() as session:
        row = session.scalars(select(Application)).one()
    assert token not in json.dumps({c.name: str(getattr(row, c.name)) for c in Application.__table__.columns})


@pytest.mark.parametrize(("overrides", "field", "message"), [
    ({"applicant__email": _DROP}, "applicant.email", "Enter an email address."),
    ({"applicant__email": "not-an-email"}, "applicant.email", "Enter an email address in the correct format"),
    ({"applicant__name": "   "}, "applicant.name", "Enter your full name."),
    ({"applicant__participant_type": "visitor"}, "applicant.participant_type", "Choose expert by occupation"),
    ({"applicant__language": "fr"}, "applicant.language", "Choose English (en) or Cymraeg (cy)."),
    ({"exchange_ids": []}, "exchange_ids", "Choose at least one exchange."),
    ({"exchange_ids": _DROP}, "exchange_ids", "Choose at least one exchange."),
    ({"exchange_ids": list(range(1, 27))}, "exchange_ids", "Choose 25 exchanges or fewer."),
    ({"exchange_ids": ["1"]}, "exchange_ids.0", "Exchange ids are whole numbers."),
    ({"will_attend_sessions": _DROP}, "will_attend_sessions", "Confirm that you can attend"),
    ({"will_attend_sessions": False}, "will_attend_sessions", "You must be able to attend"),
    ({"privacy_notice_accepted": False}, "privacy_notice_accepted", "Accept the privacy notice to apply."),
    ({"privacy_notice_accepted": _DROP}, "privacy_notice_accepted", "Accept the privacy notice to apply."),
    ({"line_manager_permission": "maybe"}, "line_manager_permission", "Say whether your line manager"),
    ({"applicant": _DROP}, "applicant", "Tell us about yourself."),
    ({"surprise": 1}, "surprise", "Unknown field."),
])
def test_bad_applications_get_a_specific_422_and_store_nothing(client, runtime, catalogue, overrides, field, message):
    before = stored(runtime)
    response = client.post("/registration/api/applications", json=application([catalogue], **overrides))
    assert response.status_code == 422
    error = response.get_json()["error"]
    assert error["code"] == "invalid"
    assert any(m.startswith(message) for m in error["fields"][field]), error["fields"]
    assert stored(runtime) == before


def test_errors_come_in_the_readers_language_even_those_fixed_when_the_schema_is_made(client, catalogue):
    response = client.post("/registration/api/applications", headers={"Accept-Language": "cy"},
                           json=application([catalogue], applicant__name="x" * 201, privacy_notice_accepted=False))
    fields = response.get_json()["error"]["fields"]
    assert fields["applicant.name"] == ["Rhowch 200 nod neu lai."]
    assert fields["privacy_notice_accepted"][0] != "Accept the privacy notice to apply."


def test_a_repeated_exchange_id_is_named(client, catalogue):
    response = client.post("/registration/api/applications", json=application([catalogue, catalogue]))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"exchange_ids": [f"Exchange {catalogue} is chosen more than once."]}


def test_an_unknown_exchange_id_is_named_and_nothing_is_stored(client, runtime, catalogue):
    before = stored(runtime)
    response = client.post("/registration/api/applications", json=application([catalogue, 999]))
    assert response.status_code == 422
    assert response.get_json()["error"]["fields"] == {"exchange_ids": ["There is no exchange 999."]}
    assert stored(runtime) == before


@pytest.mark.parametrize("payload", [b"{not json", b"[1, 2]", b'"text"', b"", b"\xff\xfe"])
def test_a_body_that_is_not_a_json_object_is_a_400(client, runtime, catalogue, payload):
    before = stored(runtime)
    response = client.post("/registration/api/applications", data=payload, content_type="application/json")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_request"
    assert stored(runtime) == before


def test_a_body_over_64_kb_is_a_413(client, runtime, catalogue):
    body = application([catalogue], applicant__access_needs="x" * 70_000)
    response = client.post("/registration/api/applications", json=body)
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "too_large"
    assert stored(runtime)[0] == 0


def test_too_many_applications_from_one_address_in_a_minute_is_a_429(runtime, catalogue):
    from services.registration import create_app

    app = create_app({"KX_RUNTIME": runtime, "TESTING": True, "KX_APPLY_RATE_PER_ADDRESS": "3"})
    client = app.test_client()
    answers = [client.post("/registration/api/applications", json=application([catalogue], n)).status_code
               for n in range(1, 6)]
    assert answers == [201, 201, 201, 429, 429]
    other = client.post("/registration/api/applications", json=application([catalogue], 9),
                        environ_base={"REMOTE_ADDR": "10.0.0.2"})
    assert other.status_code == 201
    assert stored(runtime)[0] == 4


def test_a_retry_with_the_same_idempotency_key_replays_the_first_answer_and_changes_nothing(client, runtime, catalogue):
    headers = {"Idempotency-Key": "retry-abc-123"}
    first = client.post("/registration/api/applications", json=application([catalogue]), headers=headers)
    before = stored(runtime)
    again = client.post("/registration/api/applications", json=application([catalogue]), headers=headers)
    assert (again.status_code, again.get_json()) == (first.status_code, first.get_json())
    assert stored(runtime) == before
    assert first.get_json()["manage_token"].encode() not in b"".join(
        row for row in _responses(runtime))  # stored encrypted


def _responses(runtime):
    with runtime.session() as session:
        return list(session.scalars(select(IdempotencyKey.response)))


def test_the_same_idempotency_key_with_another_body_is_refused(client, catalogue):
    headers = {"Idempotency-Key": "k-1"}
    client.post("/registration/api/applications", json=application([catalogue]), headers=headers)
    other = client.post("/registration/api/applications", json=application([catalogue], 2), headers=headers)
    assert other.status_code == 422
    assert other.get_json()["error"]["code"] == "idempotency_key_reused"


def test_a_refused_request_does_not_use_up_its_idempotency_key(client, runtime, catalogue):
    headers = {"Idempotency-Key": "k-2"}
    assert client.post("/registration/api/applications", json=application([999]), headers=headers).status_code == 422
    assert stored(runtime)[3] == 0


def test_the_manage_token_shows_the_application_and_its_bookings(client, catalogue):
    token = client.post("/registration/api/applications", json=application([catalogue])).get_json()["manage_token"]
    body = client.get(f"/registration/api/applications/{token}").get_json()
    assert body["applicant"]["email"] == "person1@example.org"
    assert [(b["exchange_id"], b["status"]) for b in body["bookings"]] == [(catalogue, "confirmed")]


def test_cancelling_through_the_api_answers_cancelled_and_promotes(client, runtime, catalogue):
    tokens = [client.post("/registration/api/applications", json=application([catalogue], n)).get_json()["manage_token"]
              for n in range(1, 5)]
    response = client.post(f"/registration/api/applications/{tokens[0]}/bookings/{catalogue}/cancel")
    assert response.status_code == 200 and response.get_json()["status"] == "cancelled"
    last = client.get(f"/registration/api/applications/{tokens[3]}").get_json()
    assert last["bookings"][0]["status"] == "confirmed"


@pytest.mark.parametrize("path", [
    "/registration/api/applications/unknown-token",
    "/registration/api/applications/" + "x" * 500,
])
def test_unknown_manage_tokens_are_not_found(client, catalogue, path):
    assert client.get(path).status_code == 404
    assert client.post(f"{path}/bookings/{catalogue}/cancel").status_code == 404


def test_cancelling_an_exchange_not_booked_is_not_found(client, runtime, catalogue):
    token = client.post("/registration/api/applications", json=application([catalogue])).get_json()["manage_token"]
    other = add_exchange(runtime, title="Other")
    assert client.post(f"/registration/api/applications/{token}/bookings/{other}/cancel").status_code == 404


@pytest.mark.parametrize("answer", ["yes", "no_line_manager", "not_applicable"])
def test_someone_without_a_line_manager_says_so_and_the_older_word_still_works(client, catalogue, answer):
    response = client.post("/registration/api/applications",
                           json=application([catalogue], line_manager_permission=answer))
    assert response.status_code == 201
