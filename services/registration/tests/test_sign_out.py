"""Sign-out that works: it revokes every token the account was given so far (API and page), and a
browser whose token was revoked is sent to sign in. Registration checks its own accounts; the
other services learn it from `registration.staff.updated` (tests/test_revocation.py)."""

from __future__ import annotations

from sqlalchemy import select

from services.registration.models import Audit, StaffAccount
from services.registration.operations import create_staff

from .conftest import events

PASSWORD = "correct horse battery staple"


def account(runtime, email="admin@example.org") -> int:
    with runtime.session() as session, session.begin():
        return create_staff(session, email, "Programme team", PASSWORD, {"admin": []}).id


def bearer(client, email="admin@example.org") -> dict:
    answer = client.post("/registration/api/auth/token", json={"email": email, "password": PASSWORD})
    return {"Authorization": f"Bearer {answer.get_json()['token']}"}


def version(runtime, staff_id: int) -> int:
    with runtime.session() as session:
        return session.get(StaffAccount, staff_id).token_version


def test_signing_out_revokes_every_token_of_the_account_and_says_so_on_the_bus(client, runtime):
    staff_id = account(runtime)
    other = account(runtime, "other@example.org")
    first, second, theirs = bearer(client), bearer(client), bearer(client, "other@example.org")

    answer = client.post("/registration/api/auth/sign-out", headers=first)

    assert answer.status_code == 200 and answer.get_json() == {"status": "signed_out"}
    assert version(runtime, staff_id) == 2 and version(runtime, other) == 1
    for headers in (first, second):
        refused = client.get("/registration/api/staff", headers=headers)
        assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorised"
    assert client.get("/registration/api/staff", headers=theirs).status_code == 200
    assert client.get("/registration/api/staff", headers=bearer(client)).status_code == 200  # a new sign-in
    announced = [data for _type, data in events(runtime, "registration.staff.updated") if data["id"] == staff_id]
    assert announced[-1]["token_version"] == 2 and announced[-1]["active"] is True


def test_signing_out_needs_a_token(client):
    assert client.post("/registration/api/auth/sign-out").status_code == 401


def test_a_deactivated_accounts_tokens_are_refused_at_once(client, runtime):
    account(runtime)
    other = account(runtime, "other@example.org")
    mine, theirs = bearer(client), bearer(client, "other@example.org")
    assert client.patch(f"/registration/api/staff/{other}", headers=mine, json={"active": False}).status_code == 200
    assert client.get("/registration/api/staff", headers=theirs).status_code == 401


def test_the_page_sign_out_revokes_the_accounts_tokens(client, runtime):
    staff_id = account(runtime)
    api = bearer(client)
    assert client.post("/registration/login", data={"email": "admin@example.org", "password": PASSWORD}).status_code == 302

    signed_out = client.post("/registration/logout")

    assert signed_out.status_code == 302 and signed_out.headers["Location"].endswith("/registration/login")
    assert version(runtime, staff_id) == 2
    assert client.get("/registration/api/staff", headers=api).status_code == 401


def test_a_browser_whose_token_was_revoked_is_sent_to_sign_in(client, runtime):
    account(runtime)
    assert client.post("/registration/login", data={"email": "admin@example.org", "password": PASSWORD}).status_code == 302
    assert client.get("/registration/staff/accounts").status_code == 200

    client.post("/registration/api/auth/sign-out", headers=bearer(client))  # signed out elsewhere

    page = client.get("/registration/staff/accounts")
    assert page.status_code == 302 and "/registration/login" in page.headers["Location"]


def test_signing_out_through_the_api_or_the_page_is_in_the_audit_log(client, runtime):
    staff_id = account(runtime)
    client.post("/registration/api/auth/sign-out", headers=bearer(client))
    client.post("/registration/login", data={"email": "admin@example.org", "password": PASSWORD})
    client.post("/registration/logout")

    with runtime.session() as session:
        entries = session.scalars(select(Audit).where(Audit.action == "staff.signed_out").order_by(Audit.id)).all()
    assert [(e.actor_id, e.actor_email, e.subject_id) for e in entries] == [
        (staff_id, "admin@example.org", str(staff_id))] * 2
    assert [(e.before, e.after) for e in entries] == [({"token_version": 1}, {"token_version": 2}),
                                                      ({"token_version": 2}, {"token_version": 3})]
