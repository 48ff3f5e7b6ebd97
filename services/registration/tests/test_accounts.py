"""Staff accounts: invitations, set-password links (single use, 7 days / 1 hour, hashed), the
password rules, resets without enumeration, changes of roles and scopes, deactivation, the last
admin, and the `registration.staff.*` events every change emits."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from services.registration.models import PasswordLink, StaffAccount
from services.registration.operations import create_staff, sign_in
from shared.auth import read_token
from shared.db import utcnow
from shared.manage_tokens import token_hash

from .conftest import events

GOOD = "correct horse battery staple"


@pytest.fixture
def admin(runtime):
    """An active admin (id 1), as the demo or `kx staff add` would leave one."""
    with runtime.session() as session, session.begin():
        return create_staff(session, "admin@example.org", "Programme team", GOOD, {"admin": []}).id


def invite(client, auth, admin, **body):
    payload = {"email": "new.host@example.org", "name": "New Host", "roles": ["admin"], "language": "en"}
    payload.update(body)
    return client.post("/registration/api/staff", json=payload, headers=auth(admin, admin=[]))


def link_token(runtime, event_type="registration.staff.invited") -> str:
    return [data for kind, data in events(runtime, event_type)][-1]["token"]


# --- invitations ----------------------------------------------------------------------------------


def test_an_invitation_makes_an_invited_account_and_asks_for_its_email(client, runtime, auth, admin, catalogue):
    response = invite(client, auth, admin, email="New.Host@Example.org", roles=["host", "theme_lead"],
                      exchanges=[catalogue], themes=["T1"], language="cy")
    assert response.status_code == 201
    body = response.get_json()
    assert body == {"id": body["id"], "email": "new.host@example.org", "status": "invited"}
    [(_, invited)] = events(runtime, "registration.staff.invited")
    assert invited["email"] == "new.host@example.org" and invited["language"] == "cy" and invited["name"] == "New Host"
    with runtime.session() as session:
        link = session.scalar(select(PasswordLink).where(PasswordLink.staff_id == body["id"]))
        assert link.token_hash == token_hash(invited["token"])  # only the hash is kept
        assert link.expires_at - link.created_at == timedelta(days=7)
    updated = [data for _, data in events(runtime, "registration.staff.updated") if data["id"] == body["id"]]
    assert updated[-1] == {"id": body["id"], "email": "new.host@example.org", "roles": ["host", "theme_lead"],
                           "exchanges": [catalogue], "themes": ["T1"], "language": "cy", "active": True,
                           "token_version": 1}
    listed = client.get("/registration/api/staff", headers=auth(admin, admin=[])).get_json()
    mine = next(a for a in listed if a["id"] == body["id"])
    assert mine["status"] == "invited" and mine["last_signed_in_at"] is None and mine["roles"] == ["host", "theme_lead"]


def test_inviting_an_existing_email_is_a_409_with_the_account(client, auth, admin):
    response = invite(client, auth, admin, email="ADMIN@example.org")
    assert response.status_code == 409
    body = response.get_json()
    assert body["error"]["code"] == "account_exists"
    assert body["account"] == {"id": admin, "email": "admin@example.org", "status": "active"}


@pytest.mark.parametrize(("body", "field"), [
    ({"roles": []}, "roles"),
    ({"roles": ["superuser"]}, "roles.0"),
    ({"roles": ["host"]}, "exchanges"),
    ({"roles": ["theme_lead"]}, "themes"),
    ({"roles": ["admin"], "exchanges": [1]}, "exchanges"),
    ({"roles": ["host"], "exchanges": [999]}, "exchanges"),
    ({"roles": ["theme_lead"], "themes": ["T99"]}, "themes"),
    ({"email": "not an email"}, "email"),
    ({"language": "fr"}, "language"),
    ({"name": "  "}, "name"),
])
def test_an_invitation_that_does_not_add_up_is_a_422_naming_the_field(client, auth, admin, catalogue, body, field):
    response = invite(client, auth, admin, **body)
    assert response.status_code == 422, response.get_json()
    assert field in response.get_json()["error"]["fields"]


# --- set-password links ---------------------------------------------------------------------------


def test_a_link_sets_the_password_once_and_the_account_can_then_sign_in(client, runtime, auth, admin):
    account_id = invite(client, auth, admin).get_json()["id"]
    token = link_token(runtime)
    assert client.get(f"/registration/account/password/{token}").status_code == 200
    response = client.post("/registration/api/auth/password", json={"token": token, "password": GOOD})
    assert response.status_code == 200
    assert response.get_json() == {"id": account_id, "email": "new.host@example.org", "status": "active"}
    again = client.post("/registration/api/auth/password", json={"token": token, "password": GOOD + "!"})
    assert again.status_code == 404 and again.get_json()["error"]["code"] == "link_spent"
    signed = client.post("/registration/api/auth/token", json={"email": "new.host@example.org", "password": GOOD})
    assert signed.status_code == 200
    spent_page = client.get(f"/registration/account/password/{token}")
    assert spent_page.status_code == 410
    assert "already been used" in spent_page.get_data(as_text=True)
    assert "Email me a new link" in spent_page.get_data(as_text=True)


@pytest.mark.parametrize(("password", "rule"), [
    ("short", "at least 12 characters"),
    ("q1w2e3r4t5y6", "commonly used"),
    ("QWERTY123456", "commonly used"),
])
def test_a_weak_password_is_a_422_naming_the_rule_and_keeps_the_link(client, runtime, auth, admin, password, rule):
    invite(client, auth, admin)
    token = link_token(runtime)
    response = client.post("/registration/api/auth/password", json={"token": token, "password": password})
    assert response.status_code == 422
    assert response.get_json()["error"]["code"] == "weak_password"
    assert rule in response.get_json()["error"]["fields"]["password"][0]
    assert client.post("/registration/api/auth/password", json={"token": token, "password": GOOD}).status_code == 200


def test_an_expired_link_says_so_and_offers_a_new_one_by_email(client, runtime, auth, admin):
    invite(client, auth, admin)
    token = link_token(runtime)
    with runtime.session() as session, session.begin():
        session.execute(PasswordLink.__table__.update().values(expires_at=utcnow() - timedelta(seconds=1)))
    response = client.post("/registration/api/auth/password", json={"token": token, "password": GOOD})
    assert response.status_code == 404 and response.get_json()["error"]["code"] == "link_expired"
    page = client.get(f"/registration/account/password/{token}")
    assert page.status_code == 410 and "has expired" in page.get_data(as_text=True)
    renewed = client.post(f"/registration/account/password/{token}/renew")
    assert renewed.status_code == 200 and "Check your email" in renewed.get_data(as_text=True)
    # still invited: the new link is a new invitation
    assert len(events(runtime, "registration.staff.invited")) == 2
    assert client.get(f"/registration/account/password/{link_token(runtime)}").status_code == 200


@pytest.mark.parametrize("token", ["forged-" + "x" * 36, "a" * 43, "no good!", "x" * 500])
def test_a_forged_link_gets_a_page_that_says_so_never_an_error_trace(client, token):
    page = client.get(f"/registration/account/password/{token}")
    assert page.status_code == 404
    text = page.get_data(as_text=True)
    assert "This link is not valid" in text and "Ask for a new link" in text and "Traceback" not in text
    api = client.post("/registration/api/auth/password", json={"token": token[:200], "password": GOOD})
    assert api.status_code in (404, 422)


def test_the_set_password_page_refuses_a_weak_password_beside_the_field(client, runtime, auth, admin):
    invite(client, auth, admin)
    token = link_token(runtime)
    page = client.post(f"/registration/account/password/{token}", data={"password": "password1234"})
    assert page.status_code == 422
    assert "commonly used" in page.get_data(as_text=True)
    done = client.post(f"/registration/account/password/{token}", data={"password": GOOD})
    assert done.status_code == 200 and "Your password is set" in done.get_data(as_text=True)


# --- resets ---------------------------------------------------------------------------------------


def test_a_reset_is_202_whatever_the_email_and_only_an_active_account_gets_a_link(client, runtime, auth, admin):
    invite(client, auth, admin)  # invited: no reset for it
    for email in ("admin@example.org", "nobody@example.org", "new.host@example.org", "not an email"):
        response = client.post("/registration/api/auth/password-reset", json={"email": email})
        assert response.status_code == 202 and response.get_json() == {"status": "accepted"}
    resets = events(runtime, "registration.staff.reset_requested")
    assert [data["email"] for _, data in resets] == ["admin@example.org"]
    token = resets[0][1]["token"]
    with runtime.session() as session:
        link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == token_hash(token)))
        assert link.expires_at - link.created_at == timedelta(hours=1)
    new = "a completely new passphrase"
    assert client.post("/registration/api/auth/password", json={"token": token, "password": new}).status_code == 200
    assert client.post("/registration/api/auth/token", json={"email": "admin@example.org", "password": GOOD}).status_code == 401
    assert client.post("/registration/api/auth/token", json={"email": "admin@example.org", "password": new}).status_code == 200


def test_a_fourth_reset_within_the_hour_is_still_202_and_sends_no_email(client, runtime, admin):
    for _ in range(5):
        answer = client.post("/registration/api/auth/password-reset", json={"email": "Admin@Example.org"})
        assert answer.status_code == 202 and answer.get_json() == {"status": "accepted"}
    assert client.post("/registration/account/password-reset", data={"email": "admin@example.org"}).status_code == 200
    assert len(events(runtime, "registration.staff.reset_requested")) == 3
    with runtime.session() as session:
        assert len(session.scalars(select(PasswordLink)).all()) == 3


def test_the_reset_limit_is_counted_in_the_database_so_every_process_shares_it(runtime, admin):
    from shared.testing import make_app

    # two apps on one database, as two gunicorn workers are: each would allow 3 if it counted alone
    first, second = make_app(runtime).test_client(), make_app(runtime).test_client()
    for client in (first, second, first, second, first, second):
        assert client.post("/registration/api/auth/password-reset", json={"email": "admin@example.org"}).status_code == 202
    assert len(events(runtime, "registration.staff.reset_requested")) == 3


def test_resets_are_allowed_again_an_hour_after_the_earlier_ones(client, runtime, admin):
    for _ in range(3):
        client.post("/registration/api/auth/password-reset", json={"email": "admin@example.org"})
    with runtime.session() as session, session.begin():
        for link in session.scalars(select(PasswordLink)):
            link.created_at -= timedelta(minutes=61)
    client.post("/registration/api/auth/password-reset", json={"email": "admin@example.org"})
    assert len(events(runtime, "registration.staff.reset_requested")) == 4


def test_asking_for_new_links_in_place_of_an_expired_invitation_is_limited_too(client, runtime, auth, admin):
    invite(client, auth, admin)
    token = link_token(runtime)
    for _ in range(4):
        assert client.post(f"/registration/account/password/{token}/renew").status_code == 200
    assert len(events(runtime, "registration.staff.invited")) == 3  # the invitation and two more


def test_the_reset_pages_say_the_same_whatever_the_email(client, runtime, admin):
    page = client.get("/registration/login")
    assert "/registration/account/password-reset" in page.get_data(as_text=True)
    known = client.post("/registration/account/password-reset", data={"email": "admin@example.org"})
    unknown = client.post("/registration/account/password-reset", data={"email": "who@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert known.get_data(as_text=True) == unknown.get_data(as_text=True)
    assert client.post("/registration/account/password-reset", data={"email": ""}).status_code == 422


# --- changes, deactivation, the last admin --------------------------------------------------------


def test_changing_roles_or_scopes_raises_the_token_version_and_says_so(client, runtime, auth, admin, catalogue):
    account_id = invite(client, auth, admin, roles=["finance"]).get_json()["id"]
    response = client.patch(f"/registration/api/staff/{account_id}", json={"roles": ["host"], "exchanges": [catalogue]},
                            headers=auth(admin, admin=[]))
    assert response.status_code == 200
    assert response.get_json()["roles"] == ["host"] and response.get_json()["token_version"] == 2
    same = client.patch(f"/registration/api/staff/{account_id}", json={"exchanges": [catalogue]},
                        headers=auth(admin, admin=[]))
    assert same.get_json()["token_version"] == 2  # nothing changed: earlier tokens stay good
    off = client.patch(f"/registration/api/staff/{account_id}", json={"active": False}, headers=auth(admin, admin=[]))
    assert off.get_json()["status"] == "disabled" and off.get_json()["token_version"] == 3
    on = client.patch(f"/registration/api/staff/{account_id}", json={"active": True}, headers=auth(admin, admin=[]))
    assert on.get_json()["status"] == "invited"  # it never set a password
    versions = [data["token_version"] for _, data in events(runtime, "registration.staff.updated")
                if data["id"] == account_id]
    assert versions == [1, 2, 3, 3]  # the PATCH that changed nothing said nothing
    assert all("password" not in str(data) for _, data in events(runtime, "registration.staff.updated"))


def test_a_change_of_hosts_on_the_exchange_form_changes_the_accounts_scopes(runtime, catalogue):
    from services.registration.operations import update_exchange

    with runtime.session() as session, session.begin():
        create_staff(session, "other.host@example.org", "Other host", GOOD)
    with runtime.session() as session, session.begin():
        update_exchange(session, catalogue, {"host": {"name": "Example", "accounts": ["other.host@example.org"]}})
    [(_, data)] = [e for e in events(runtime, "registration.staff.updated") if e[1]["email"] == "other.host@example.org"][1:]
    assert data["roles"] == ["host"] and data["exchanges"] == [catalogue] and data["token_version"] == 2


def test_a_deactivated_account_cannot_sign_in_and_its_links_are_spent(client, runtime, auth, admin):
    with runtime.session() as session, session.begin():
        other = create_staff(session, "fin@example.org", "Finance", GOOD, {"finance": []}).id
    client.post("/registration/api/auth/password-reset", json={"email": "fin@example.org"})
    token = link_token(runtime, "registration.staff.reset_requested")
    assert client.patch(f"/registration/api/staff/{other}", json={"active": False},
                        headers=auth(admin, admin=[])).status_code == 200
    assert client.post("/registration/api/auth/token", json={"email": "fin@example.org", "password": GOOD}).status_code == 401
    assert client.post("/registration/api/auth/password", json={"token": token, "password": GOOD}).status_code == 404


def test_the_last_active_admin_can_be_neither_deactivated_nor_demoted(client, runtime, auth, admin):
    off = client.patch(f"/registration/api/staff/{admin}", json={"active": False}, headers=auth(admin, admin=[]))
    assert off.status_code == 409 and off.get_json()["error"]["code"] == "last_admin"
    demoted = client.patch(f"/registration/api/staff/{admin}", json={"roles": ["finance"]}, headers=auth(admin, admin=[]))
    assert demoted.status_code == 409
    with runtime.session() as session, session.begin():
        create_staff(session, "second.admin@example.org", "Second admin", GOOD, {"admin": []})
    assert client.patch(f"/registration/api/staff/{admin}", json={"active": False},
                        headers=auth(admin, admin=[])).status_code == 200


def test_an_unknown_account_is_a_404(client, auth, admin):
    assert client.patch("/registration/api/staff/999", json={"active": False},
                        headers=auth(admin, admin=[])).status_code == 404


# --- changing one's own password ------------------------------------------------------------------


def test_a_password_change_asks_for_the_current_one(client, runtime, embedded_settings, admin):
    assert client.post("/registration/login", data={"email": "admin@example.org", "password": GOOD}).status_code == 302
    assert client.get("/registration/account").status_code == 200
    wrong = client.post("/registration/account", data={"current_password": "nope", "new_password": "another good passphrase"})
    assert wrong.status_code == 422 and "current password" in wrong.get_data(as_text=True)
    weak = client.post("/registration/account", data={"current_password": GOOD, "new_password": "short"})
    assert weak.status_code == 422 and "at least 12 characters" in weak.get_data(as_text=True)
    done = client.post("/registration/account", data={"current_password": GOOD, "new_password": "another good passphrase"})
    assert done.status_code == 200 and "has been changed" in done.get_data(as_text=True)
    with runtime.session() as session:
        account = session.get(StaffAccount, admin)
        assert account.token_version == 2 and account.failed_attempts == 0
    with runtime.session() as session, session.begin():
        assert sign_in(session, "admin@example.org", "another good passphrase").staff is not None


def test_wrong_current_passwords_count_towards_the_lockout(client, runtime, admin):
    client.post("/registration/login", data={"email": "admin@example.org", "password": GOOD})
    for _ in range(5):
        client.post("/registration/account", data={"current_password": "nope", "new_password": "another good passphrase"})
    locked = client.post("/registration/account", data={"current_password": GOOD, "new_password": "another good passphrase"})
    assert locked.status_code == 422


def test_a_member_of_staff_chooses_the_language_of_their_own_emails(client, runtime, admin):
    client.post("/registration/login", data={"email": "admin@example.org", "password": GOOD})
    page = client.get("/registration/account").get_data(as_text=True)
    assert "Language of your emails" in page and 'value="en" checked' in page
    chosen = client.post("/registration/account/language", data={"language": "cy"})
    assert chosen.status_code == 302
    page = client.get(chosen.headers["Location"]).get_data(as_text=True)
    assert "Emails to you will now be in Welsh." in page and 'value="cy" checked' in page
    with runtime.session() as session:
        assert session.get(StaffAccount, admin).language == "cy"
    # every service hears of it, and the next email is in it
    assert events(runtime, "registration.staff.updated")[-1][1]["language"] == "cy"
    client.post("/registration/account/password-reset", data={"email": "admin@example.org"})
    assert events(runtime, "registration.staff.reset_requested")[-1][1]["language"] == "cy"


def test_an_email_language_that_is_not_offered_is_refused_beside_the_question(client, runtime, admin):
    client.post("/registration/login", data={"email": "admin@example.org", "password": GOOD})
    before = len(events(runtime))
    refused = client.post("/registration/account/language", data={"language": "fr"})
    assert refused.status_code == 422 and "Choose the language of your emails" in refused.get_data(as_text=True)
    assert len(events(runtime)) == before
    with runtime.session() as session:
        assert session.get(StaffAccount, admin).language == "en"


def test_the_programme_team_changes_an_accounts_email_language_through_the_api(client, runtime, auth, admin):
    changed = client.patch(f"/registration/api/staff/{admin}", json={"language": "cy"}, headers=auth(admin, admin=[]))
    assert changed.status_code == 200
    assert events(runtime, "registration.staff.updated")[-1][1]["language"] == "cy"


# --- the programme team's pages -------------------------------------------------------------------


def test_the_staff_page_lists_invites_and_deactivates_with_a_confirm_step(client, runtime, admin, catalogue):
    client.post("/registration/login", data={"email": "admin@example.org", "password": GOOD})
    listed = client.get("/registration/staff/accounts")
    assert listed.status_code == 200 and "admin@example.org" in listed.get_data(as_text=True)
    assert client.get("/registration/staff/accounts/new").status_code == 200
    bad = client.post("/registration/staff/accounts/new", data={"name": "Host", "email": "h@example.org", "roles": "host",
                                                               "language": "en"})
    assert bad.status_code == 422 and "Choose the exchanges this host hosts" in bad.get_data(as_text=True)
    made = client.post("/registration/staff/accounts/new", data={
        "name": "Host", "email": "h@example.org", "roles": "host", "exchanges": str(catalogue), "language": "cy"})
    assert made.status_code == 302
    with runtime.session() as session:
        account = session.scalar(select(StaffAccount).where(StaffAccount.email == "h@example.org"))
    assert account.language == "cy"
    confirm = client.get(f"/registration/staff/accounts/{account.id}/deactivate")
    assert confirm.status_code == 200 and "Deactivate Host?" in confirm.get_data(as_text=True)
    assert client.post(f"/registration/staff/accounts/{account.id}/deactivate").status_code == 302
    with runtime.session() as session:
        assert session.get(StaffAccount, account.id).status == "disabled"
    refused = client.post(f"/registration/staff/accounts/{admin}/deactivate")
    assert refused.status_code == 409 and "last active admin" in refused.get_data(as_text=True)
    assert client.post(f"/registration/staff/accounts/{account.id}/reactivate").status_code == 302


def test_a_token_carries_the_accounts_id_email_and_token_version(client, runtime, embedded_settings, admin):
    with runtime.session() as session, session.begin():
        session.get(StaffAccount, admin).token_version = 3
    body = client.post("/registration/api/auth/token", json={"email": "admin@example.org", "password": GOOD}).get_json()
    staff = read_token(embedded_settings.secret_key, body["token"])
    assert (staff.id, staff.email, staff.token_version) == (admin, "admin@example.org", 3)


def test_each_change_of_an_account_is_in_the_audit_log_without_a_password(client, runtime, auth, admin, catalogue):
    headers = auth(admin, admin=[])
    account_id = invite(client, auth, admin, roles=["finance"]).get_json()["id"]
    client.patch(f"/registration/api/staff/{account_id}", json={"roles": ["host"], "exchanges": [catalogue]},
                 headers=headers)
    client.patch(f"/registration/api/staff/{account_id}", json={"active": False}, headers=headers)
    client.patch(f"/registration/api/staff/{account_id}", json={"active": True}, headers=headers)
    entries = client.get("/registration/api/audit", headers=headers).get_json()
    mine = [e for e in entries if e["subject"] == {"kind": "staff_account", "id": str(account_id)}]
    assert [e["action"] for e in mine] == ["staff.reactivated", "staff.deactivated", "staff.changed", "staff.invited"]
    assert mine[2]["before"]["roles"] == ["finance"] and mine[2]["after"]["exchanges"] == [catalogue]
    assert mine[1]["after"] == {"status": "disabled"}
    assert all(e["actor"]["id"] == admin for e in mine)
    assert "password" not in str(entries) and "token" not in str(mine)


def test_republishing_announces_every_account_as_it_is_and_revokes_nothing(runtime, admin):
    """`kx staff republish`: one `registration.staff.updated` per account with its language and
    current token version, for copies that gained a field after the account was announced."""
    from services.registration.operations.accounts import republish_all

    announced = len(events(runtime, "registration.staff.updated"))
    with runtime.session() as session, session.begin():
        versions = {account.id: account.token_version for account in session.scalars(select(StaffAccount))}
        assert republish_all(session) == len(versions)
    again = events(runtime, "registration.staff.updated")[announced:]
    assert {data["id"]: data["token_version"] for _, data in again} == versions
    assert all({"language", "roles", "active"} <= data.keys() and "password" not in str(data) for _, data in again)


def test_kx_staff_republish_says_how_many_it_announced(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from shared.cli import main
    from shared.testing import embedded_env

    for name, value in embedded_env(tmp_path / "var", KX_DEMO="0").items():
        monkeypatch.setenv(name, value)
    done = CliRunner().invoke(main, ["staff", "republish"])
    assert done.exit_code == 0 and "0 account(s) announced again" in done.output, done.output
