"""Exchanges saved as drafts (issue 15): the programme team saves an exchange unpublished, checks its
page in a preview, and publishes it. Until then no one else can see it, apply for it or hear of it:
it is not in the catalogue (page or API), its page is 404, applying for it is refused as for an
unknown exchange, and no event about it goes on the bus. Publishing makes it bookable and announces
it once."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from services.registration.models import Exchange, Outbox

from .conftest import applicant, apply_now, events
from .test_api_staff import _exchange_body

APPLICATION = {"line_manager_permission": "yes", "will_attend_sessions": True, "privacy_notice_accepted": True}


def _application(exchange_ids) -> dict:
    who = applicant(7)
    return {"applicant": {"name": who.name, "email": who.email, "organisation": who.organisation, "role": who.role,
                          "participant_type": who.participant_type, "stakeholder_group": who.stakeholder_group,
                          "language": "en", "access_needs": ""},
            "exchange_ids": list(exchange_ids), **APPLICATION}


def _outbox_size(runtime) -> int:
    with runtime.session() as session:
        return session.scalar(select(func.count()).select_from(Outbox))


@pytest.fixture
def draft(client, auth, catalogue):
    """A draft saved through the API by the programme team, with no host accounts (a host account
    ticked is a change to that account, which its own `registration.staff.updated` announces)."""
    body = {**_exchange_body(), "title": "Peer support café (draft)", "host": {"name": "Example Health Board"},
            "draft": True}
    response = client.post("/registration/api/exchanges", json=body, headers=auth(admin=[]))
    assert response.status_code == 201, response.json
    assert response.json["draft"] is True
    return response.json["id"]


def test_a_draft_is_not_in_the_public_catalogue_and_its_page_is_not_found(client, auth, catalogue, draft):
    assert [e["id"] for e in client.get("/registration/api/exchanges").json] == [catalogue]
    assert client.get(f"/registration/api/exchanges/{draft}").status_code == 404
    unknown = client.get("/registration/api/exchanges/9999").json
    assert client.get(f"/registration/api/exchanges/{draft}").json == unknown  # never "it exists, but..."
    assert "Peer support café" not in client.get("/registration/").get_data(as_text=True)
    assert client.get(f"/registration/exchanges/{draft}").status_code == 404


def test_staff_see_a_draft_marked_as_one(client, auth, catalogue, draft):
    listed = {e["id"]: e["draft"] for e in client.get("/registration/api/exchanges", headers=auth(admin=[])).json}
    assert listed == {catalogue: False, draft: True}
    assert client.get(f"/registration/api/exchanges/{draft}", headers=auth(admin=[])).json["draft"] is True
    hosts_it = [e["id"] for e in client.get("/registration/api/exchanges", headers=auth(host=[draft])).json]
    assert hosts_it == [catalogue, draft]
    other_host = [e["id"] for e in client.get("/registration/api/exchanges", headers=auth(host=[catalogue])).json]
    assert other_host == [catalogue]
    numbers = {row["id"]: row["draft"] for row in client.get("/registration/api/numbers", headers=auth(admin=[])).json}
    assert numbers == {catalogue: False, draft: True}


def test_applying_for_a_draft_is_refused_as_for_an_unknown_exchange(client, runtime, catalogue, draft):
    refused = client.post("/registration/api/applications", json=_application([catalogue, draft]))
    unknown = client.post("/registration/api/applications", json=_application([catalogue, 9999]))
    assert refused.status_code == unknown.status_code == 422
    assert refused.json["error"]["fields"]["exchange_ids"] == [f"There is no exchange {draft}."]
    with runtime.session() as session:  # nothing was booked, not even on the published exchange
        assert session.get(Exchange, catalogue).confirmed_count == 0
    # the apply pages: the catalogue's Apply link cannot preselect it, and choosing it is refused
    start = client.get(f"/registration/apply/?exchange={draft}").get_data(as_text=True)
    assert "Peer support café" not in start


def test_nothing_about_a_draft_goes_on_the_bus_until_it_is_published_then_once(client, auth, runtime, draft):
    admin = auth(admin=[])
    before = _outbox_size(runtime)
    assert client.patch(f"/registration/api/exchanges/{draft}", json={"capacity": 9, "title": "Peer support café"},
                        headers=admin).status_code == 200
    client.post(f"/registration/api/exchanges/{draft}/close", headers=admin)
    client.post(f"/registration/api/exchanges/{draft}/reopen", headers=admin)
    assert _outbox_size(runtime) == before
    assert not [data for _type, data in events(runtime) if data.get("id") == draft or data.get("exchange_id") == draft]

    published = client.post(f"/registration/api/exchanges/{draft}/publish", headers=admin)
    assert published.status_code == 200 and published.json["draft"] is False
    again = client.post(f"/registration/api/exchanges/{draft}/publish", headers=admin)
    assert again.status_code == 200  # publishing a published exchange changes nothing
    about_it = [(kind, data) for kind, data in events(runtime, "registration.exchange.") if data["id"] == draft]
    assert [kind for kind, _data in about_it] == ["registration.exchange.published"]
    assert (about_it[0][1]["title"], about_it[0][1]["capacity"], about_it[0][1]["status"]) == (
        "Peer support café", 9, "open")


def test_once_published_it_is_listed_and_bookable(client, auth, runtime, catalogue, draft):
    client.post(f"/registration/api/exchanges/{draft}/publish", headers=auth(admin=[]))
    assert draft in [e["id"] for e in client.get("/registration/api/exchanges").json]
    assert client.get(f"/registration/exchanges/{draft}").status_code == 200
    applied = apply_now(runtime, applicant(1), [draft])
    assert [b.status for b in applied.bookings] == ["confirmed"]


def test_only_the_programme_team_publishes_and_a_published_exchange_never_becomes_a_draft(client, auth, catalogue,
                                                                                          draft):
    assert client.post(f"/registration/api/exchanges/{draft}/publish", headers=auth(host=[draft])).status_code == 403
    assert client.post("/registration/api/exchanges/9999/publish", headers=auth(admin=[])).status_code == 404
    refused = client.patch(f"/registration/api/exchanges/{catalogue}", json={"draft": True}, headers=auth(admin=[]))
    assert refused.status_code == 409 and refused.json["error"]["code"] == "draft_change"
    # sending back what was read (draft: false) is no change
    assert client.patch(f"/registration/api/exchanges/{catalogue}", json={"draft": False},
                        headers=auth(admin=[])).status_code == 200


def test_publishing_is_in_the_audit_log(client, auth, draft):
    client.post(f"/registration/api/exchanges/{draft}/publish", headers=auth(admin=[], staff_id=7))
    log = client.get("/registration/api/audit", headers=auth(admin=[])).json
    published = next(e for e in log if e["action"] == "exchange.published")
    assert published["subject"] == {"kind": "exchange", "id": str(draft)}
    assert (published["before"], published["after"]) == ({"draft": True}, {"draft": False})
    assert published["actor"]["id"] == 7


def test_moving_a_booking_to_a_draft_is_refused_as_to_an_unknown_exchange(client, auth, runtime, catalogue, draft):
    booking = apply_now(runtime, applicant(1), [catalogue]).bookings[0].booking.id
    response = client.post(f"/registration/api/bookings/{booking}/move", headers=auth(admin=[]),
                           json={"exchange_id": draft, "reason": "Asked by phone"})
    assert response.status_code == 422 and "exchange_id" in response.json["error"]["fields"]


# --- the pages -------------------------------------------------------------------------------------

FORM = {"title": "Walk-in clinic", "theme": "T1.2", "host_name": "Example Health Board", "site": "Example Clinic",
        "town": "Bangor", "capacity": "8", "starts_at_date": "2027-03-10", "starts_at_time": "10:00",
        "ends_at_date": "2027-03-10", "ends_at_time": "14:00", "booking_closes_at_date": "2027-02-26",
        "booking_closes_at_time": "23:59", "description": "Illustrative.", "learning_outcomes": "One\nTwo"}


def _new_id(runtime, title: str) -> int:
    with runtime.session() as session:
        return session.scalar(select(Exchange.id).where(Exchange.title == title))


def test_the_form_offers_save_as_draft_and_a_draft_goes_to_its_preview(signed_in, runtime, catalogue):
    browser = signed_in(admin=[])
    form = browser.get("/registration/staff/exchanges/new").get_data(as_text=True)
    assert 'name="action" value="publish"' in form and 'name="action" value="draft"' in form
    before = _outbox_size(runtime)
    response = browser.post("/registration/staff/exchanges/new", data={**FORM, "action": "draft"})
    new = _new_id(runtime, "Walk-in clinic")
    assert response.status_code == 302
    assert response.headers["Location"] == f"/registration/staff/exchanges/{new}/preview"
    assert _outbox_size(runtime) == before, "a draft is announced to no one"
    home = browser.get("/registration/staff/").get_data(as_text=True)
    row = home[home.index("Walk-in clinic"):]
    row = row[:row.index("</tr>")]
    assert "Draft" in row and f'href="/registration/staff/exchanges/{new}/preview"' in row
    assert "/close" not in row and "Participants" not in row


def test_the_preview_is_the_public_page_with_a_banner_and_the_publish_button(signed_in, client, runtime, catalogue):
    browser = signed_in(admin=[])
    browser.post("/registration/staff/exchanges/new", data={**FORM, "action": "draft"})
    new = _new_id(runtime, "Walk-in clinic")
    preview = browser.get(f"/registration/staff/exchanges/{new}/preview")
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200
    assert "Preview: this exchange is a draft — people cannot see it yet." in page
    assert re.search(rf'<form method="post" action="/registration/staff/exchanges/{new}/publish">\s*'
                     r'<input type="hidden" name="csrf_token"', page)
    assert f'href="/registration/staff/exchanges/{new}/edit"' in page
    # below the banner, what the public will see once it is published: the same page
    browser.post(f"/registration/staff/exchanges/{new}/publish")
    public = client.get(f"/registration/exchanges/{new}").get_data(as_text=True)
    body = page[page.index('<h1 class="kx-heading-xl">'):page.index("</main>")]
    assert body == public[public.index('<h1 class="kx-heading-xl">'):public.index("</main>")]


def test_a_host_of_the_draft_may_preview_it_but_not_publish_it(signed_in, runtime, catalogue):
    signed_in(admin=[]).post("/registration/staff/exchanges/new", data={**FORM, "action": "draft"})
    new = _new_id(runtime, "Walk-in clinic")
    page = signed_in(host=[new]).get(f"/registration/staff/exchanges/{new}/preview").get_data(as_text=True)
    assert "people cannot see it yet" in page and "/publish" not in page
    assert signed_in(host=[catalogue]).get(f"/registration/staff/exchanges/{new}/preview").status_code == 403
    assert signed_in(host=[new]).post(f"/registration/staff/exchanges/{new}/publish").status_code == 403


def test_publishing_from_the_preview_opens_it_for_booking_and_says_so(signed_in, client, runtime, catalogue):
    browser = signed_in(admin=[])
    browser.post("/registration/staff/exchanges/new", data={**FORM, "action": "draft"})
    new = _new_id(runtime, "Walk-in clinic")
    response = browser.post(f"/registration/staff/exchanges/{new}/publish")
    assert response.status_code == 302 and response.headers["Location"] == f"/registration/staff/?published={new}"
    home = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "Walk-in clinic is published: people can now see it and apply." in home
    assert [data["title"] for _kind, data in events(runtime, "registration.exchange.published")][-1] == "Walk-in clinic"
    assert "Walk-in clinic" in client.get("/registration/").get_data(as_text=True)
    assert [b.status for b in apply_now(runtime, applicant(2), [new]).bookings] == ["confirmed"]


def test_editing_a_draft_keeps_it_a_draft_unless_save_and_publish_is_pressed(signed_in, runtime, catalogue):
    browser = signed_in(admin=[])
    browser.post("/registration/staff/exchanges/new", data={**FORM, "action": "draft"})
    new = _new_id(runtime, "Walk-in clinic")
    edit = browser.get(f"/registration/staff/exchanges/{new}/edit").get_data(as_text=True)
    assert 'name="action" value="publish"' in edit and 'name="action" value="draft"' in edit
    before = _outbox_size(runtime)
    response = browser.post(f"/registration/staff/exchanges/{new}/edit", data={**FORM, "capacity": "10"})
    assert response.headers["Location"] == f"/registration/staff/exchanges/{new}/preview"
    assert _outbox_size(runtime) == before, "editing a draft emits nothing"
    response = browser.post(f"/registration/staff/exchanges/{new}/edit", data={**FORM, "action": "publish"})
    assert response.headers["Location"] == "/registration/staff/"
    with runtime.session() as session:
        assert session.get(Exchange, new).draft is False
    published = [data for _kind, data in events(runtime, "registration.exchange.") if data["id"] == new]
    assert len(published) == 1
    # a published exchange's form saves as it always did, with one button
    edit = browser.get(f"/registration/staff/exchanges/{new}/edit").get_data(as_text=True)
    assert 'value="draft"' not in edit and "Save exchange" in edit


def test_a_published_exchange_is_previewed_as_published(signed_in, catalogue):
    page = signed_in(admin=[]).get(f"/registration/staff/exchanges/{catalogue}/preview").get_data(as_text=True)
    assert "This exchange is published: this is how people see it." in page and "/publish" not in page
