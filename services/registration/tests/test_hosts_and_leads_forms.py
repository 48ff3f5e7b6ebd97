"""Hosts chosen on the exchange form and theme leads on the theme's page, from the staff accounts
with those roles: saving changes each account that gains or loses the exchange or theme with the
same operation as its own page and `PATCH /api/staff/<id>` (its tokens revoked,
`registration.staff.updated`, an audit entry)."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from services.registration.models import Audit, ExchangeHost, StaffAccount
from services.registration.operations import create_staff
from services.registration.operations.accounts import change_account, invite
from shared.testing import staff_token

from .conftest import add_exchange, events

GOOD = "correct horse battery staple"
ADMIN_ID = 77


@pytest.fixture
def admin(client, embedded_settings):
    """A browser signed in as the programme team (account 77)."""
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(embedded_settings, {"admin": []}, ADMIN_ID, email="team@example.org")
    return client


@pytest.fixture
def people(runtime, catalogue):
    """Exchange 2, hosted by an active account; an invited host of exchange 2; a deactivated host of
    exchange 2; a finance account; a theme lead of T2. Returns their ids by name."""
    second = add_exchange(runtime, title="Second exchange", accounts=["active.host@example.org"])
    with runtime.session() as session, session.begin():
        ids = {"active": create_staff(session, "active.host@example.org", "Active Host", GOOD).id,
               "finance": create_staff(session, "fin@example.org", "Fin Ance", GOOD, {"finance": []}).id,
               "lead": create_staff(session, "lead@example.org", "Theme Lead", GOOD, {"theme_lead": ["T2"]}).id}
        for name in ("invited", "gone"):
            account, _token = invite(session, {"email": f"{name}.host@example.org", "name": f"{name.title()} Host",
                                               "roles": ["host"], "exchanges": [second]})
            ids[name] = account.id
        change_account(session, session.get(StaffAccount, ids["gone"]), {"active": False})
    return {**ids, "second": second}


def edit_form(browser, exchange_id) -> dict:
    page = browser.get(f"/registration/staff/exchanges/{exchange_id}/edit").get_data(as_text=True)
    values = dict(re.findall(r'name="([a-z_]+)" type="[a-z-]+" value="([^"]*)"', page))
    values.update({"theme": "T1.1", "description": "", "learning_outcomes": ""})
    values["host_accounts"] = re.findall(r'name="host_accounts" value="([^"]+)" checked', page)
    return values


def version(runtime, staff_id) -> int:
    with runtime.session() as session:
        return session.get(StaffAccount, staff_id).token_version


def test_the_exchange_form_offers_active_and_invited_hosts_and_whoever_hosts_it_now(admin, people, catalogue):
    page = admin.get(f"/registration/staff/exchanges/{catalogue}/edit").get_data(as_text=True)
    offered = re.findall(r'name="host_accounts" value="([^"]+)"( checked)?', page)
    assert offered == [("active.host@example.org", ""), ("invited.host@example.org", ""),
                       ("host@example.org", " checked")]  # the catalogue's host, an email with no account
    assert "Active Host (active.host@example.org)" in page
    assert "fin@example.org" not in page and "gone.host@example.org" not in page


def test_ticking_a_host_on_the_exchange_form_changes_their_account_as_its_page_would(
        admin, runtime, people, catalogue):
    form = edit_form(admin, catalogue)
    form["host_accounts"] = ["active.host@example.org", "invited.host@example.org"]  # and host@ unticked

    assert admin.post(f"/registration/staff/exchanges/{catalogue}/edit", data=form).status_code == 302

    assert version(runtime, people["active"]) == 2 and version(runtime, people["invited"]) == 2
    assert version(runtime, people["finance"]) == 1
    updated = {data["email"]: data for _, data in events(runtime, "registration.staff.updated")}
    assert updated["active.host@example.org"]["exchanges"] == sorted([catalogue, people["second"]])
    assert updated["active.host@example.org"]["roles"] == ["host"]
    with runtime.session() as session:
        hosts = set(session.scalars(select(ExchangeHost.email).where(ExchangeHost.exchange_id == catalogue)))
        entries = session.scalars(select(Audit).where(Audit.action == "staff.changed")).all()
    assert hosts == {"active.host@example.org", "invited.host@example.org"}
    assert {(e.subject_id, e.actor_id) for e in entries} == {(str(people["active"]), ADMIN_ID),
                                                            (str(people["invited"]), ADMIN_ID)}
    assert all(e.after["exchanges"] == sorted([catalogue, people["second"]]) for e in entries)


def test_unticking_an_accounts_only_exchange_takes_the_host_role_away(admin, runtime, people):
    form = edit_form(admin, people["second"])
    form["host_accounts"] = ["invited.host@example.org"]

    assert admin.post(f"/registration/staff/exchanges/{people['second']}/edit", data=form).status_code == 302

    updated = [data for _, data in events(runtime, "registration.staff.updated") if data["id"] == people["active"]]
    assert (updated[-1]["roles"], updated[-1]["exchanges"], updated[-1]["token_version"]) == ([], [], 2)
    page = admin.get(f"/registration/staff/exchanges/{people['second']}/edit").get_data(as_text=True)
    assert "active.host@example.org" not in page  # no longer a host, so no longer offered


def test_saving_the_exchange_form_with_the_same_hosts_revokes_nothing(admin, runtime, people, catalogue):
    assert admin.post(f"/registration/staff/exchanges/{people['second']}/edit",
                      data=edit_form(admin, people["second"])).status_code == 302
    assert version(runtime, people["active"]) == 1 and version(runtime, people["invited"]) == 1


def test_the_theme_page_offers_theme_leads_and_ticking_one_changes_their_account(admin, runtime, people):
    page = admin.get("/registration/staff/themes/T1").get_data(as_text=True)
    assert re.findall(r'name="leads" value="(\d+)"( checked)?', page) == [(str(people["lead"]), "")]
    assert 'value="T1 ' not in page and "Transforming the community mental health system" in page
    assert "/registration/staff/themes/T1" in admin.get("/registration/staff/themes").get_data(as_text=True)

    saved = admin.post("/registration/staff/themes/T1", data={
        "title": "Community mental health", "subthemes": "T1.1 Open access care\nT1.2 Trauma-informed practice",
        "leads": str(people["lead"])})

    assert saved.status_code == 302
    updated = [data for _, data in events(runtime, "registration.staff.updated") if data["id"] == people["lead"]]
    assert (updated[-1]["themes"], updated[-1]["token_version"]) == (["T1", "T2"], 2)
    with runtime.session() as session:
        [lead] = session.scalars(select(Audit).where(Audit.action == "staff.changed")).all()
        [theme] = session.scalars(select(Audit).where(Audit.action == "theme.changed")).all()
    assert (lead.actor_id, lead.before["themes"], lead.after["themes"]) == (ADMIN_ID, ["T2"], ["T1", "T2"])
    assert theme.after["title"] == "Community mental health"
    shown = admin.get("/registration/staff/themes/T1").get_data(as_text=True)
    assert f'name="leads" value="{people["lead"]}" checked' in shown


def test_unticking_a_themes_only_lead_takes_the_theme_lead_role_away(admin, runtime, people):
    assert admin.post("/registration/staff/themes/T2", data={"title": "Workforce", "subthemes": ""}).status_code == 302
    updated = [data for _, data in events(runtime, "registration.staff.updated") if data["id"] == people["lead"]]
    assert (updated[-1]["roles"], updated[-1]["themes"], updated[-1]["token_version"]) == ([], [], 2)


@pytest.mark.parametrize(("form", "field"), [
    ({"title": "", "subthemes": ""}, "title"),
    ({"title": "T", "subthemes": "T2.1 Skills", "leads": "999"}, "leads"),
    ({"title": "T", "subthemes": "T1.1 Someone else's sub-theme"}, "subthemes"),
])
def test_the_theme_page_shows_each_problem_beside_its_field_and_changes_nothing(admin, runtime, people, form, field):
    refused = admin.post("/registration/staff/themes/T2", data=form)
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and f'id="{field}-error"' in page
    assert version(runtime, people["lead"]) == 1
    with runtime.session() as session:
        assert session.scalars(select(Audit).where(Audit.action.in_(("staff.changed", "theme.changed")))).all() == []


def test_an_account_not_offered_cannot_be_made_a_theme_lead_by_a_forged_form(admin, runtime, people):
    refused = admin.post("/registration/staff/themes/T1", data={"title": "T", "leads": str(people["finance"])})
    assert refused.status_code == 422 and "Choose theme leads from the list" in refused.get_data(as_text=True)
    assert version(runtime, people["finance"]) == 1


def test_an_unknown_theme_has_no_page(admin, catalogue):
    assert admin.get("/registration/staff/themes/T9").status_code == 404
