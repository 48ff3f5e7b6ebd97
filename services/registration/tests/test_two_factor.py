"""The optional TOTP second factor: turning it on from the account page, signing in with a code
(page and API), recovery codes used once, the lockout after five wrong codes, KX_REQUIRE_MFA for
admin and finance, and a secret kept encrypted and out of events."""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
import pytest
from sqlalchemy import select

from services.registration.models import Audit, RecoveryCode, StaffAccount
from services.registration.operations import create_staff, mfa, sign_in
from services.registration.operations.staff import MFA_REQUIRED
from shared.db import utcnow

from .conftest import events

PASSWORD = "a long enough password"
TOKEN = "/registration/api/auth/token"


def staff(runtime, email="admin@example.org", roles=None) -> int:
    with runtime.session() as session, session.begin():
        return create_staff(session, email, "Programme team", PASSWORD, roles or {"admin": []}).id


def turn_on(runtime, settings, staff_id, now=None) -> tuple[str, list[str]]:
    """The second factor switched on as the page does (a while ago, so that the code of now is a
    new one): the secret and the recovery codes."""
    now = now or utcnow() - timedelta(seconds=90)
    with runtime.session() as session, session.begin():
        account = session.get(StaffAccount, staff_id)
        secret = mfa.begin_setup(session, account, settings.secret_key)
        codes = mfa.confirm_setup(session, account, settings.secret_key, pyotp.TOTP(secret).at(now), now)
    return secret, codes


def page_login(client, email="admin@example.org"):
    return client.post("/registration/login", data={"email": email, "password": PASSWORD})


def test_turning_it_on_from_the_account_page_shows_the_key_then_ten_recovery_codes_once(client, runtime):
    staff(runtime)
    assert page_login(client).status_code == 302
    account = client.get("/registration/account").get_data(as_text=True)
    assert "Two-step verification" in account and "/registration/account/two-factor" in account
    setup = client.get("/registration/account/two-factor").get_data(as_text=True)
    uri = re.search(r'id="setup-uri">([^<]+)<', setup).group(1).replace("&amp;", "&")
    assert uri.startswith("otpauth://totp/kx:admin%40example.org?secret=")
    secret = re.search(r"secret=([A-Z2-7]+)", uri).group(1)
    key = re.search(r'id="setup-key">([^<]+)<', setup).group(1)
    assert key.replace(" ", "") == secret
    assert client.get("/registration/account/two-factor").get_data(as_text=True).count(secret) >= 1  # the same key

    wrong = client.post("/registration/account/two-factor", data={"code": "000000"})
    assert wrong.status_code == 422 and "There is a problem" in wrong.get_data(as_text=True)
    done = client.post("/registration/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", done.get_data(as_text=True))
    assert len(codes) == 10 and len(set(codes)) == 10
    assert "On (10 recovery codes left)" in client.get("/registration/account").get_data(as_text=True)
    assert client.get("/registration/account/two-factor").status_code == 302  # shown once, never again

    with runtime.session() as session:
        stored = session.scalar(select(StaffAccount.totp_secret))
        hashes = session.scalars(select(RecoveryCode.code_hash)).all()
    assert secret not in stored  # encrypted at rest
    assert not set(codes) & set(hashes) and len(hashes) == 10
    assert all(secret not in str(data) for _, data in events(runtime))
    with runtime.session() as session:
        [entry] = session.scalars(select(Audit).where(Audit.action == "staff.two_factor_on")).all()
    assert (entry.actor_email, entry.before, entry.after) == ("admin@example.org", {"two_factor": False},
                                                              {"two_factor": True})


def test_signing_in_through_the_page_asks_for_the_code_after_the_password(client, runtime, embedded_settings):
    secret, _codes = turn_on(runtime, embedded_settings, staff(runtime))
    asked = client.post("/registration/login?next=/registration/staff/", data={"email": "admin@example.org",
                                                                                "password": PASSWORD})
    assert asked.status_code == 302 and asked.headers["Location"].startswith("/registration/login/code")
    assert client.get("/registration/staff/").status_code == 302  # not signed in yet
    form = client.get(asked.headers["Location"]).get_data(as_text=True)
    assert 'for="code"' in form and 'autocomplete="one-time-code"' in form
    wrong = client.post(asked.headers["Location"], data={"code": "123456"})
    assert wrong.status_code == 401 and "Enter a correct code" in wrong.get_data(as_text=True)
    right = client.post(asked.headers["Location"], data={"code": pyotp.TOTP(secret).now()})
    assert right.status_code == 302 and right.headers["Location"] == "/registration/staff/"
    assert client.get("/registration/staff/").status_code == 200


def test_the_api_asks_for_the_code_with_mfa_required_and_takes_a_right_one_once(client, runtime, embedded_settings):
    secret, _codes = turn_on(runtime, embedded_settings, staff(runtime))
    missing = client.post(TOKEN, json={"email": "admin@example.org", "password": PASSWORD})
    assert missing.status_code == 401 and missing.get_json()["error"]["code"] == "mfa_required"
    code = pyotp.TOTP(secret).now()
    wrong_password = client.post(TOKEN, json={"email": "admin@example.org", "password": "wrong", "code": code})
    assert wrong_password.status_code == 401 and wrong_password.get_json()["error"]["code"] == "unauthorised"
    signed = client.post(TOKEN, json={"email": "admin@example.org", "password": PASSWORD, "code": code})
    assert signed.status_code == 200 and signed.get_json()["token"]
    again = client.post(TOKEN, json={"email": "admin@example.org", "password": PASSWORD, "code": code})
    assert again.status_code == 401 and again.get_json()["error"]["code"] == "unauthorised"  # no code twice


def test_a_recovery_code_signs_in_once(client, runtime, embedded_settings):
    _secret, codes = turn_on(runtime, embedded_settings, staff(runtime))
    body = {"email": "admin@example.org", "password": PASSWORD, "code": codes[3].upper()}
    assert client.post(TOKEN, json=body).status_code == 200
    assert client.post(TOKEN, json=body).status_code == 401
    assert client.post(TOKEN, json={**body, "code": codes[4]}).status_code == 200


def test_five_wrong_codes_lock_the_account_like_five_wrong_passwords(runtime, embedded_settings):
    staff_id = staff(runtime)
    now = utcnow()
    secret, _codes = turn_on(runtime, embedded_settings, staff_id, now=now - timedelta(minutes=2))
    key = embedded_settings.secret_key
    for _ in range(5):
        with runtime.session() as session, session.begin():
            # the right password each time: it must not reset the count of wrong codes
            refused = sign_in(session, "admin@example.org", PASSWORD, now=now, code="000000", secret_key=key)
            assert refused.staff is None and refused.needs == MFA_REQUIRED
    with runtime.session() as session, session.begin():
        locked = sign_in(session, "admin@example.org", PASSWORD, now=now + timedelta(minutes=14),
                         code=pyotp.TOTP(secret).at(now + timedelta(minutes=14)), secret_key=key)
        assert locked.staff is None and locked.locked
    with runtime.session() as session, session.begin():
        later = now + timedelta(minutes=16)
        assert sign_in(session, "admin@example.org", PASSWORD, now=later, code=pyotp.TOTP(secret).at(later),
                       secret_key=key).staff is not None


def test_wrong_codes_on_the_page_lock_too(client, runtime, embedded_settings):
    turn_on(runtime, embedded_settings, staff(runtime))
    for _ in range(5):
        assert page_login(client).status_code == 302
        assert client.post("/registration/login/code", data={"code": "000000"}).status_code == 401
    with runtime.session() as session:
        assert session.scalar(select(StaffAccount.locked_until)) is not None


@pytest.mark.parametrize("role", ["admin", "finance"])
def test_kx_require_mfa_lets_admin_and_finance_in_only_to_set_it_up(client, runtime, embedded_settings,
                                                                    monkeypatch, role):
    monkeypatch.setitem(embedded_settings.extra, "KX_REQUIRE_MFA", "1")
    staff(runtime, roles={role: []})
    refused = client.post(TOKEN, json={"email": "admin@example.org", "password": PASSWORD})
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "mfa_setup_required"

    sent = page_login(client)
    assert sent.status_code == 302 and sent.headers["Location"] == "/registration/account/two-factor"
    assert client.get("/registration/account").status_code == 302  # nothing else
    assert client.get("/registration/staff/").status_code == 302
    setup = client.get("/registration/account/two-factor").get_data(as_text=True)
    assert "must use two-step verification" in setup
    secret = re.search(r"secret=([A-Z2-7]+)", setup).group(1)
    done = client.post("/registration/account/two-factor", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 200 and "recovery-codes" in done.get_data(as_text=True)
    assert client.get("/registration/account").status_code == 200  # now signed in


def test_kx_require_mfa_leaves_other_roles_alone(client, runtime, embedded_settings, monkeypatch):
    monkeypatch.setitem(embedded_settings.extra, "KX_REQUIRE_MFA", "1")
    staff(runtime, "lead@example.org", roles={"theme_lead": ["T1"]})
    assert client.post(TOKEN, json={"email": "lead@example.org", "password": PASSWORD}).status_code == 200


def test_the_pages_are_in_welsh_too(client, runtime, embedded_settings):
    turn_on(runtime, embedded_settings, staff(runtime))
    page_login(client)
    page = client.get("/registration/login/code", headers={"Accept-Language": "cy"}).get_data(as_text=True)
    assert "Enter your code" not in page and 'lang="cy"' in page


# --- once it is on: turning it off, new recovery codes --------------------------------------------


def test_turning_it_off_asks_the_password_and_a_code_and_then_signs_in_with_the_password_alone(
        client, runtime, embedded_settings):
    staff_id = staff(runtime, roles={"theme_lead": ["T1"]})
    secret, codes = turn_on(runtime, embedded_settings, staff_id)
    page_login(client)
    client.post("/registration/login/code", data={"code": codes[0]})
    account = client.get("/registration/account").get_data(as_text=True)
    assert "/registration/account/two-factor/off" in account and "/registration/account/recovery-codes" in account
    assert client.get("/registration/account/two-factor/off").status_code == 200

    no_password = client.post("/registration/account/two-factor/off",
                              data={"current_password": "wrong", "code": pyotp.TOTP(secret).now()})
    assert no_password.status_code == 422 and 'id="current_password-error"' in no_password.get_data(as_text=True)
    no_code = client.post("/registration/account/two-factor/off", data={"current_password": PASSWORD, "code": "000000"})
    assert no_code.status_code == 422 and 'id="code-error"' in no_code.get_data(as_text=True)
    with runtime.session() as session:
        account = session.get(StaffAccount, staff_id)
        assert account.mfa_enabled_at is not None and account.failed_attempts == 2  # both counted

    off = client.post("/registration/account/two-factor/off",
                      data={"current_password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    assert off.status_code == 302 and off.headers["Location"] == "/registration/account?two_factor=off"
    assert "Two-step verification is off" in client.get(off.headers["Location"]).get_data(as_text=True)
    with runtime.session() as session:
        account = session.get(StaffAccount, staff_id)
        assert (account.mfa_enabled_at, account.totp_secret) == (None, None)
        assert session.scalars(select(RecoveryCode)).all() == []
        [entry] = session.scalars(select(Audit).where(Audit.action == "staff.two_factor_off")).all()
    assert (entry.actor_id, entry.before, entry.after) == (staff_id, {"two_factor": True}, {"two_factor": False})
    assert client.post(TOKEN, json={"email": "admin@example.org", "password": PASSWORD}).status_code == 200
    assert client.post(TOKEN, json={"email": "admin@example.org", "password": PASSWORD,
                                    "code": codes[1]}).status_code == 200  # a code no longer matters


@pytest.mark.parametrize("role", ["admin", "finance"])
def test_turning_it_off_is_refused_where_kx_require_mfa_applies_and_nothing_changes(
        client, runtime, embedded_settings, monkeypatch, role):
    staff_id = staff(runtime, roles={role: []})
    secret, codes = turn_on(runtime, embedded_settings, staff_id)
    page_login(client)
    client.post("/registration/login/code", data={"code": codes[0]})
    monkeypatch.setitem(embedded_settings.extra, "KX_REQUIRE_MFA", "1")
    account = client.get("/registration/account").get_data(as_text=True)
    assert "/registration/account/two-factor/off" not in account and "cannot be turned off" in account

    form = client.get("/registration/account/two-factor/off")
    assert form.status_code == 200 and "cannot be turned off" in form.get_data(as_text=True)
    assert 'name="current_password"' not in form.get_data(as_text=True)
    refused = client.post("/registration/account/two-factor/off",
                          data={"current_password": PASSWORD, "code": pyotp.TOTP(secret).now()})
    assert refused.status_code == 409 and "cannot be turned off" in refused.get_data(as_text=True)
    with runtime.session() as session:
        assert session.get(StaffAccount, staff_id).mfa_enabled_at is not None
        assert session.scalars(select(Audit).where(Audit.action == "staff.two_factor_off")).all() == []


def test_kx_require_mfa_lets_other_roles_turn_it_off(client, runtime, embedded_settings, monkeypatch):
    staff_id = staff(runtime, roles={"theme_lead": ["T1"]})
    secret, codes = turn_on(runtime, embedded_settings, staff_id)
    page_login(client)
    client.post("/registration/login/code", data={"code": codes[0]})
    monkeypatch.setitem(embedded_settings.extra, "KX_REQUIRE_MFA", "1")
    off = client.post("/registration/account/two-factor/off", data={"current_password": PASSWORD, "code": codes[1]})
    assert off.status_code == 302


def test_new_recovery_codes_ask_a_code_and_the_old_ones_stop_working(client, runtime, embedded_settings):
    staff_id = staff(runtime)
    secret, old = turn_on(runtime, embedded_settings, staff_id)
    page_login(client)
    client.post("/registration/login/code", data={"code": old[0]})
    form = client.get("/registration/account/recovery-codes")
    assert form.status_code == 200 and "You have 9 recovery codes left" in form.get_data(as_text=True)

    wrong = client.post("/registration/account/recovery-codes", data={"code": "000000"})
    assert wrong.status_code == 422 and 'id="code-error"' in wrong.get_data(as_text=True)
    empty = client.post("/registration/account/recovery-codes", data={"code": ""})
    assert empty.status_code == 422
    made = client.post("/registration/account/recovery-codes", data={"code": pyotp.TOTP(secret).now()})
    assert made.status_code == 200 and "Your old recovery codes no longer work" in made.get_data(as_text=True)
    new = re.findall(r"<li><code>([a-z2-7-]+)</code></li>", made.get_data(as_text=True))
    assert len(new) == 10 and not set(new) & set(old)

    body = {"email": "admin@example.org", "password": PASSWORD}
    assert client.post(TOKEN, json={**body, "code": old[1]}).status_code == 401
    assert client.post(TOKEN, json={**body, "code": new[0]}).status_code == 200
    with runtime.session() as session:
        [entry] = session.scalars(select(Audit).where(Audit.action == "staff.recovery_codes")).all()
    assert (entry.actor_id, entry.before, entry.after) == (staff_id, {"recovery_codes_left": 9},
                                                           {"recovery_codes_left": 10})
    assert not any(code in str(entry.after) for code in new)


def test_without_a_second_factor_the_pages_to_change_it_lead_back_to_the_account(client, runtime):
    staff(runtime)
    page_login(client)
    assert client.get("/registration/account/two-factor/off").status_code == 302
    assert client.post("/registration/account/recovery-codes", data={"code": "123456"}).status_code == 302
    anonymous = client.application.test_client()
    assert anonymous.get("/registration/account/recovery-codes").status_code == 302
