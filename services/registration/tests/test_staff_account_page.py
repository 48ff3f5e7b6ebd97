"""The programme team's page for one staff account (`/registration/staff/accounts/<id>`): name,
language, roles and scopes changed with the same operation as `PATCH /api/staff/<id>` (tokens
revoked, `registration.staff.updated`, audited), errors beside their fields, and an invitation sent
again to an invited account (a new link, the old one spent)."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from services.registration.models import Audit, StaffAccount
from services.registration.operations import create_staff

from .conftest import events

GOOD = "correct horse battery staple"


@pytest.fixture
def admin(runtime):
    with runtime.session() as session, session.begin():
        return create_staff(session, "admin@example.org", "Programme team", GOOD, {"admin": []}).id


@pytest.fixture
def signed_in(client, admin):
    assert client.post("/registration/login", data={"email": "admin@example.org", "password": GOOD}).status_code == 302
    return client


def finance(runtime, email="fin@example.org") -> int:
    with runtime.session() as session, session.begin():
        return create_staff(session, email, "Fin Ance", GOOD, {"finance": []}).id


def account(runtime, staff_id) -> StaffAccount:
    with runtime.session() as session:
        return session.get(StaffAccount, staff_id)


def invite(client, runtime, catalogue) -> int:
    client.post("/registration/staff/accounts/new", data={
        "name": "New Host", "email": "new.host@example.org", "roles": "host", "exchanges": str(catalogue),
        "language": "en"})
    with runtime.session() as session:
        return session.scalar(select(StaffAccount.id).where(StaffAccount.email == "new.host@example.org"))


def test_the_staff_list_links_each_account_to_its_page(signed_in, runtime, admin):
    other = finance(runtime)
    listed = signed_in.get("/registration/staff/accounts").get_data(as_text=True)
    assert f'href="/registration/staff/accounts/{other}"' in listed and f'href="/registration/staff/accounts/{admin}"' in listed
    page = signed_in.get(f"/registration/staff/accounts/{other}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "fin@example.org" in text
    assert 'name="roles" value="finance" checked' in text and 'value="cy"' in text
    assert f"/registration/staff/accounts/{other}/deactivate" in text
    assert "Send the invitation again" not in text  # it has a password already


def test_changing_an_account_on_its_page_revokes_its_tokens_says_so_and_is_audited(
        signed_in, runtime, admin, catalogue):
    other = finance(runtime)
    token = signed_in.application.test_client().post(
        "/registration/api/auth/token", json={"email": "fin@example.org", "password": GOOD}).get_json()["token"]

    saved = signed_in.post(f"/registration/staff/accounts/{other}", data={
        "name": "Fin Ance-Jones", "language": "cy", "roles": ["finance", "host", "theme_lead"],
        "exchanges": str(catalogue), "themes": ["T1", "T2"]})

    assert saved.status_code == 302 and saved.headers["Location"] == f"/registration/staff/accounts?changed={other}"
    listed = signed_in.get(saved.headers["Location"]).get_data(as_text=True)
    assert "fin@example.org's account has been changed" in listed
    changed = account(runtime, other)
    assert (changed.name, changed.language, changed.token_version) == ("Fin Ance-Jones", "cy", 2)
    refused = signed_in.application.test_client().get("/registration/api/staff",
                                                      headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401  # its earlier token no longer says what it may do
    [(_, data)] = [e for e in events(runtime, "registration.staff.updated") if e[1]["id"] == other][1:]
    assert (data["roles"], data["exchanges"], data["themes"], data["language"], data["token_version"]) == (
        ["host", "theme_lead", "finance"], [catalogue], ["T1", "T2"], "cy", 2)
    with runtime.session() as session:
        [entry] = session.scalars(select(Audit).where(Audit.action == "staff.changed")).all()
    assert entry.actor_id == admin and entry.subject_id == str(other)
    assert entry.before["roles"] == ["finance"] and entry.after["themes"] == ["T1", "T2"]


@pytest.mark.parametrize(("form", "field", "message"), [
    ({"name": "", "roles": "finance"}, "name", "Enter their full name"),
    ({"name": "Fin", "roles": []}, "roles", "Choose at least one role"),
    ({"name": "Fin", "roles": "host"}, "exchanges", "Choose the exchanges this host hosts"),
    ({"name": "Fin", "roles": "finance", "themes": "T1"}, "themes", "Give the theme lead role"),
    ({"name": "Fin", "roles": "finance", "language": "fr"}, "language", "Choose English (en) or Cymraeg (cy)"),
])
def test_a_change_that_does_not_add_up_is_shown_beside_its_field_and_changes_nothing(
        signed_in, runtime, catalogue, form, field, message):
    other = finance(runtime)
    refused = signed_in.post(f"/registration/staff/accounts/{other}", data={"language": "en", **form})
    text = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f'id="{field}-error"' in text and message in text
    assert 'href="#' + field + '"' in text  # the error summary leads to the field
    unchanged = account(runtime, other)
    assert (unchanged.name, unchanged.token_version) == ("Fin Ance", 1)


def test_the_last_admin_cannot_lose_the_role_on_the_page(signed_in, runtime, admin):
    refused = signed_in.post(f"/registration/staff/accounts/{admin}", data={
        "name": "Programme team", "language": "en", "roles": "finance"})
    assert refused.status_code == 409 and "last active admin" in refused.get_data(as_text=True)
    assert account(runtime, admin).token_version == 1


def test_an_invitation_sent_again_is_a_new_link_and_the_old_one_is_spent(signed_in, runtime, admin, catalogue):
    invited = invite(signed_in, runtime, catalogue)
    [(_, first)] = events(runtime, "registration.staff.invited")
    page = signed_in.get(f"/registration/staff/accounts/{invited}").get_data(as_text=True)
    assert "Send the invitation again" in page

    resent = signed_in.post(f"/registration/staff/accounts/{invited}/invitation")

    assert resent.status_code == 200 and "has been sent a new invitation" in resent.get_data(as_text=True)
    second = events(runtime, "registration.staff.invited")[-1][1]
    assert second["token"] != first["token"] and second["email"] == "new.host@example.org"
    assert signed_in.get(f"/registration/account/password/{first['token']}").status_code == 410
    assert signed_in.get(f"/registration/account/password/{second['token']}").status_code == 200
    with runtime.session() as session:
        [entry] = session.scalars(select(Audit).where(Audit.action == "staff.invitation_resent")).all()
    assert entry.actor_id == admin and entry.subject_id == str(invited)
    assert "token" not in str(entry.after)


def test_only_an_invited_account_is_sent_its_invitation_again(signed_in, runtime):
    other = finance(runtime)
    refused = signed_in.post(f"/registration/staff/accounts/{other}/invitation")
    assert refused.status_code == 409 and "still invited" in refused.get_data(as_text=True)
    assert events(runtime, "registration.staff.invited") == []


def test_an_unknown_account_has_no_page(signed_in):
    assert signed_in.get("/registration/staff/accounts/999").status_code == 404
    assert signed_in.post("/registration/staff/accounts/999/invitation").status_code == 404
