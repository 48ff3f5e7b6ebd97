"""What the programme team writes, in Welsh beside English (CONTRACT.md "Content in Welsh and
English"): the API takes and gives the `_cy` fields, events carry them, the staff form puts them
side by side, and a Welsh page shows the Welsh where there is one, else the English marked
lang="en"."""

from __future__ import annotations

import re

import pytest

from shared.testing import staff_token

from .conftest import add_exchange, applicant, apply_now, events

WELSH = {"title_cy": "Caffi argyfwng galw heibio", "description_cy": "Cyfnewid enghreifftiol.",
         "learning_outcomes_cy": ["Sut mae mynediad agored yn gweithio", "Beth mae pobl yn ei ddweud amdano"],
         "time_commitment_cy": "Hanner diwrnod"}


@pytest.fixture
def welsh_exchange(runtime, catalogue):
    return add_exchange(runtime, title="Walk-in crisis café", time_commitment="Half a day",
                        location={"site": "Example Community Hub", "site_cy": "Hyb Cymunedol Enghreifftiol",
                                  "town": "Cardiff"}, **WELSH)


def _page(client, path: str) -> str:
    return client.get(path).get_data(as_text=True)


def test_the_api_takes_and_gives_the_welsh_beside_the_english(client, auth, catalogue):
    body = {"title": "New exchange", "theme": "T1", "host": {"name": "Example Health Board"},
            "location": {"site": "Example Site", "site_cy": "Safle Enghreifftiol", "town": "Bangor"},
            "starts_at": "2030-03-10T10:00:00+00:00", "ends_at": "2030-03-10T13:00:00+00:00", "capacity": 5,
            "booking_closes_at": "2030-02-26T23:59:00+00:00", **WELSH}
    created = client.post("/registration/api/exchanges", json=body, headers=auth(admin=[]))
    assert created.status_code == 201
    shown = client.get(f"/registration/api/exchanges/{created.get_json()['id']}").get_json()
    assert {name: shown[name] for name in WELSH} == WELSH
    assert shown["location"]["site_cy"] == "Safle Enghreifftiol"
    # null (or blank) removes a Welsh version; what is not sent stays
    patched = client.patch(f"/registration/api/exchanges/{shown['id']}", json={"title_cy": None, "description_cy": " "},
                           headers=auth(admin=[])).get_json()
    assert patched["title_cy"] is None and patched["description_cy"] is None
    assert patched["learning_outcomes_cy"] == WELSH["learning_outcomes_cy"]


def test_an_exchange_without_welsh_says_null_for_each_welsh_field(client, catalogue):
    shown = client.get(f"/registration/api/exchanges/{catalogue}").get_json()
    assert [shown[name] for name in WELSH] == [None, None, None, None] and shown["location"]["site_cy"] is None


def test_a_welsh_title_too_long_is_a_422_naming_it(client, auth, catalogue):
    response = client.patch(f"/registration/api/exchanges/{catalogue}", json={"title_cy": "x" * 301},
                            headers=auth(admin=[]))
    assert response.status_code == 422 and list(response.get_json()["error"]["fields"]) == ["title_cy"]
    assert client.get(f"/registration/api/exchanges/{catalogue}").get_json()["title_cy"] is None


def test_a_theme_gets_and_loses_its_welsh_title_through_the_api(client, auth, catalogue):
    admin = auth(admin=[])
    changed = client.patch("/registration/api/themes/T1", headers=admin, json={
        "title_cy": "Trawsnewid y system iechyd meddwl gymunedol",
        "subthemes": [{"code": "T1.1", "title": "Open access care", "title_cy": "Gofal mynediad agored"}]})
    assert changed.status_code == 200
    assert changed.get_json()["title_cy"] == "Trawsnewid y system iechyd meddwl gymunedol"
    assert changed.get_json()["subthemes"][0]["title_cy"] == "Gofal mynediad agored"
    kept = client.patch("/registration/api/themes/T1", headers=admin, json={"title": "Renamed"}).get_json()
    assert kept["title_cy"] == "Trawsnewid y system iechyd meddwl gymunedol"
    assert client.patch("/registration/api/themes/T1", headers=admin, json={"title_cy": None}).get_json()["title_cy"] is None


def test_events_carry_the_welsh_for_the_other_services(runtime, welsh_exchange):
    published = [data for _kind, data in events(runtime, "registration.exchange.published")
                 if data["id"] == welsh_exchange][0]
    assert published["title_cy"] == WELSH["title_cy"]
    assert published["learning_outcomes_cy"] == WELSH["learning_outcomes_cy"]
    assert published["location"]["site_cy"] == "Hyb Cymunedol Enghreifftiol"
    apply_now(runtime, applicant(1, language="cy"), [welsh_exchange])
    _kind, confirmed = events(runtime, "registration.booking.confirmed")[-1]
    assert confirmed["exchange"]["title_cy"] == WELSH["title_cy"]
    assert confirmed["exchange"]["location"]["site_cy"] == "Hyb Cymunedol Enghreifftiol"


def test_the_welsh_exchange_page_shows_the_welsh_text_and_the_welsh_town(client, welsh_exchange):
    page = _page(client, f"/registration/exchanges/{welsh_exchange}?lang=cy")
    for text in (WELSH["title_cy"], WELSH["description_cy"], *WELSH["learning_outcomes_cy"],
                 WELSH["time_commitment_cy"], "Hyb Cymunedol Enghreifftiol, Caerdydd"):
        assert text in page, text
    assert "Walk-in crisis café" not in page and "Half a day" not in page and "Cardiff" not in page
    english = _page(client, f"/registration/exchanges/{welsh_exchange}?lang=en")
    assert "Walk-in crisis café" in english and "Example Community Hub, Cardiff" in english
    assert WELSH["title_cy"] not in english


def test_english_without_welsh_is_marked_lang_en_on_a_welsh_page(client, catalogue):
    page = _page(client, f"/registration/exchanges/{catalogue}?lang=cy")
    assert '<h1 class="kx-heading-xl"><span lang="en">Open access crisis café</span></h1>' in page
    assert '<span lang="en">An illustrative exchange.</span>' in page
    assert re.search(r'<ul class="kx-list kx-list--bullet" lang="en">\s*<li>How open access works', page)
    # the town is the same in both languages
    assert '<span lang="en">Example Community Hub</span>, Aberystwyth' in page
    assert 'lang="en"' not in _page(client, f"/registration/exchanges/{catalogue}?lang=en").split("<main")[1]


def test_the_welsh_catalogue_and_its_filters_use_welsh_titles_and_towns(client, welsh_exchange):
    page = _page(client, "/registration/?lang=cy")
    assert WELSH["title_cy"] in page and "Walk-in crisis café" not in page
    assert '<option value="Cardiff">Caerdydd</option>' in page
    filtered = _page(client, "/registration/?lang=cy&town=Cardiff")
    assert WELSH["title_cy"] in filtered and "Open access crisis café" not in filtered


def test_the_manage_page_in_welsh_names_the_exchange_in_welsh(client, runtime, welsh_exchange):
    token = apply_now(runtime, applicant(1, language="cy"), [welsh_exchange]).manage_token
    page = _page(client, f"/registration/manage/{token}?lang=cy")
    assert WELSH["title_cy"] in page and "Hyb Cymunedol Enghreifftiol, Caerdydd" in page
    assert "Walk-in crisis café" not in page


def test_the_staff_form_puts_each_welsh_text_beside_its_english(client, runtime, embedded_settings, welsh_exchange):
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(embedded_settings, {"admin": []})
    form = _page(client, f"/registration/staff/exchanges/{welsh_exchange}/edit")
    for name in ("title", "site", "time_commitment", "description", "learning_outcomes"):
        assert re.search(rf'<div class="kx-bilingual">\s*<div class="kx-form-group">\s*<label class="kx-label" '
                         rf'for="{name}">.*?name="{name}_cy"[^>]*lang="cy"', form, re.S), name
    assert 'value="Caffi argyfwng galw heibio"' in form
    values = dict(re.findall(r'name="([a-z_]+)" type="[a-z-]+" value="([^"]*)"', form))
    values.update({"theme": "T1.1", "host_accounts": "host@example.org", "title_cy": "Teitl newydd",
                   "site_cy": "", "description": "", "description_cy": "",
                   "learning_outcomes": "One", "learning_outcomes_cy": "Un\nDau"})
    assert client.post(f"/registration/staff/exchanges/{welsh_exchange}/edit", data=values).status_code == 302
    shown = client.get(f"/registration/api/exchanges/{welsh_exchange}").get_json()
    assert shown["title_cy"] == "Teitl newydd" and shown["location"]["site_cy"] is None
    assert shown["learning_outcomes_cy"] == ["Un", "Dau"] and shown["description_cy"] is None


def test_the_staff_home_participants_and_attendance_pages_in_welsh_name_the_exchange_by_its_welsh_title(
        signed_in, welsh_exchange, catalogue):
    admin = signed_in(admin=[])
    for path in ("/registration/staff/", f"/registration/staff/exchanges/{welsh_exchange}/participants",
                 f"/registration/staff/exchanges/{welsh_exchange}/attendance"):
        welsh = _page(admin, path + "?lang=cy")
        assert WELSH["title_cy"] in welsh and "Walk-in crisis café" not in welsh, path
        english = _page(admin, path + "?lang=en")
        assert "Walk-in crisis café" in english and WELSH["title_cy"] not in english, path
    # an exchange with no Welsh title: its English one, marked for a screen reader's English voice
    assert re.search(r'<span lang="en">[^<]+</span>', _page(admin, "/registration/staff/?lang=cy"))
    notice = _page(admin, f"/registration/staff/?published={catalogue}&lang=cy")
    assert re.search(r'kx-notice.*<span lang="en">Open access crisis café</span>', notice), "marked, not escaped"
