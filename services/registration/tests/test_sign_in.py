"""Staff sign-in: tokens for the API, argon2 hashes, lockout after repeated failures."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from services.registration import create_app
from services.registration.models import Audit, StaffAccount
from services.registration.operations import create_staff, sign_in
from shared.auth import read_token
from shared.db import utcnow


def staff(runtime, email="admin@example.org", password="a long enough password", roles=None):
    with runtime.session() as session, session.begin():
        create_staff(session, email, "Programme team", password, roles or {"admin": []})


def test_a_token_carries_the_roles_and_every_service_can_verify_it(client, runtime, embedded_settings, catalogue):
    staff(runtime, "host@example.org", roles={"theme_lead": ["T1"]})
    response = client.post("/registration/api/auth/token",
                           json={"email": "HOST@example.org", "password": "a long enough password"})
    assert response.status_code == 200
    body = response.get_json()
    assert body["roles"] == {"theme_lead": ["T1"], "host": [catalogue]}
    assert read_token(embedded_settings.secret_key, body["token"]).roles == body["roles"]
    assert body["expires_at"].endswith("+00:00")


def test_a_wrong_password_or_unknown_email_is_a_401_that_says_the_same(client, runtime):
    staff(runtime)
    wrong = client.post("/registration/api/auth/token", json={"email": "admin@example.org", "password": "nope"})
    unknown = client.post("/registration/api/auth/token", json={"email": "who@example.org", "password": "nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.get_json() == unknown.get_json()


def test_passwords_are_stored_as_argon2_hashes(runtime):
    staff(runtime)
    with runtime.session() as session:
        stored = session.scalar(select(StaffAccount.password_hash))
    assert stored.startswith("$argon2id$") and "a long enough password" not in stored


def test_five_failures_lock_the_account_for_fifteen_minutes(runtime):
    staff(runtime)
    now = utcnow()
    for _ in range(5):
        with runtime.session() as session, session.begin():
            assert sign_in(session, "admin@example.org", "wrong", now=now).staff is None
    with runtime.session() as session, session.begin():
        locked = sign_in(session, "admin@example.org", "a long enough password", now=now + timedelta(minutes=14))
        assert locked.staff is None and locked.locked
    with runtime.session() as session, session.begin():
        later = sign_in(session, "admin@example.org", "a long enough password", now=now + timedelta(minutes=16))
        assert later.staff is not None


def test_a_success_resets_the_count_of_failures(runtime):
    staff(runtime)
    for password in ["wrong"] * 4 + ["a long enough password"] + ["wrong"] * 4 + ["a long enough password"]:
        with runtime.session() as session, session.begin():
            result = sign_in(session, "admin@example.org", password)
    assert result.staff is not None


def test_a_malformed_sign_in_request_is_a_422_or_400(client):
    assert client.post("/registration/api/auth/token", json={"email": "a@example.org"}).status_code == 422
    assert client.post("/registration/api/auth/token", data="nope", content_type="application/json").status_code == 400


def _limited_client(runtime, failures: int):
    app = create_app({"KX_RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False,
                      "KX_SIGN_IN_FAILURE_LIMIT": str(failures)})
    return app.test_client()


def test_an_address_that_fails_too_often_is_refused_before_any_password_is_checked(runtime):
    staff(runtime)
    client = _limited_client(runtime, failures=3)
    for email in ("a@example.org", "b@example.org", "c@example.org"):  # one password tried on many accounts
        assert client.post("/registration/api/auth/token", json={"email": email, "password": "x"}).status_code == 401
    refused = client.post("/registration/api/auth/token",
                          json={"email": "admin@example.org", "password": "a long enough password"})
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
    error = refused.get_json()["error"]
    assert error["code"] == "rate_limited" and "15 minutes" in error["message"]
    with runtime.session() as session:  # the account itself was never tried, so it is not locked
        assert session.scalar(select(StaffAccount.failed_attempts)) == 0


def test_the_sign_in_page_says_why_it_refuses_and_keeps_the_email(runtime):
    staff(runtime)
    client = _limited_client(runtime, failures=1)
    assert client.post("/registration/login", data={"email": "a@example.org", "password": "x"}).status_code == 401
    refused = client.post("/registration/login", data={"email": "admin@example.org", "password": "x"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 429 and refused.headers["Retry-After"] == "900"
    assert "Too many failed sign-ins from this address" in page and 'value="admin@example.org"' in page


def test_successful_sign_ins_never_count_towards_the_address_limit(runtime):
    staff(runtime)
    client = _limited_client(runtime, failures=1)
    for _ in range(5):  # a shared office address signing in correctly, again and again
        response = client.post("/registration/api/auth/token",
                               json={"email": "admin@example.org", "password": "a long enough password"})
        assert response.status_code == 200


def test_a_password_sign_in_is_in_the_audit_log_with_its_method(client, runtime):
    with runtime.session() as session, session.begin():
        staff_id = create_staff(session, "signer@example.org", "Signer", "a long enough password", {"finance": []}).id
    assert client.post("/registration/login", data={"email": "signer@example.org",
                                                    "password": "a long enough password"}).status_code == 302
    assert client.post("/registration/login", data={"email": "signer@example.org", "password": "wrong"}).status_code == 401
    with runtime.session() as session:
        rows = session.scalars(select(Audit).where(Audit.action == "staff.signed_in")).all()
        assert [(r.actor_id, r.subject_id, r.before, r.after) for r in rows] == [
            (staff_id, str(staff_id), None, {"method": "password"})]
