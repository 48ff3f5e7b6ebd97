from datetime import timedelta

import pytest
from flask import Flask

from shared.auth import Staff, authorise, issue_token, read_token
from shared.errors import ApiError, register_error_handlers
from shared.testing import TEST_SECRET

HOST = Staff(id=7, name="Host", roles={"host": [3, 4]})
LEAD = Staff(id=8, name="Lead", roles={"theme_lead": ["T1"]})
ADMIN = Staff(id=1, name="Admin", roles={"admin": []})


def test_a_token_round_trips_its_staff_member():
    token, expires_at = issue_token(TEST_SECRET, HOST)
    assert read_token(TEST_SECRET, token) == HOST
    assert expires_at > expires_at.now(expires_at.tzinfo)


def test_a_forged_tampered_or_expired_token_is_refused():
    token, _ = issue_token(TEST_SECRET, HOST)
    assert read_token("another-secret-that-is-also-long-enough!!", token) is None
    assert read_token(TEST_SECRET, token[:-2] + "xx") is None
    expired, _ = issue_token(TEST_SECRET, HOST, lifetime=timedelta(seconds=-1))
    assert read_token(TEST_SECRET, expired) is None
    assert read_token(TEST_SECRET, "not a token") is None


def test_roles_are_checked_with_their_scopes_and_no_role_implies_another():
    assert HOST.has("host", 3) and not HOST.has("host", 5)
    assert not HOST.has("finance")
    assert LEAD.has("theme_lead", "T1") and not LEAD.has("theme_lead", "T2")
    assert ADMIN.has("admin")
    assert not ADMIN.has("finance") and not ADMIN.has("host", 99) and not ADMIN.has("theme_lead")


def test_may_is_true_when_any_grant_applies():
    assert ADMIN.may(("host", 99), "admin") and HOST.may(("host", 3), "admin")
    assert not ADMIN.may("finance") and not HOST.may(("host", 5), "finance")
    assert not ADMIN.may()


def test_a_token_carries_the_email():
    staff = Staff(id=5, name="F", roles={"finance": []}, email="f@example.org")
    assert read_token(TEST_SECRET, issue_token(TEST_SECRET, staff)[0]).email == "f@example.org"


@pytest.fixture
def app():
    app = Flask(__name__)
    app.config["SECRET_KEY"] = TEST_SECRET
    register_error_handlers(app)

    @app.get("/api/exchanges/<int:exchange_id>")
    def exchange(exchange_id):
        staff = authorise(("host", exchange_id), "finance")
        return {"staff": staff.id}

    return app


@pytest.mark.parametrize(
    ("staff", "exchange_id", "status"),
    [(None, 3, 401), (HOST, 3, 200), (HOST, 5, 403), (LEAD, 3, 403), (ADMIN, 5, 403),
     (Staff(id=9, name="F", roles={"finance": []}), 5, 200)],
)
def test_authorise_answers_401_without_credentials_and_403_without_the_grant(app, staff, exchange_id, status):
    headers = {"Authorization": f"Bearer {issue_token(TEST_SECRET, staff)[0]}"} if staff else {}
    response = app.test_client().get(f"/api/exchanges/{exchange_id}", headers=headers)
    assert response.status_code == status
    if status >= 400:
        assert set(response.json["error"]) >= {"code", "message"}


def test_api_errors_use_the_one_error_format(app):
    @app.get("/api/conflict")
    def conflict():
        raise ApiError(409, "That exchange is full.", code="full")

    response = app.test_client().get("/api/conflict")
    assert response.status_code == 409
    assert response.json == {"error": {"code": "full", "message": "That exchange is full."}}
