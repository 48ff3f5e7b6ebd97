"""Staff pages: sign-in with CSRF and an error summary, sign-out, the programme team's exchange
list and forms, hosts' participants, CSV and the attendance grid; each for the right role only."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from services.registration import create_app
from services.registration.models import Attendance, Exchange
from services.registration.operations import create_staff

from .conftest import applicant, apply_now, events, held


def test_the_sign_in_form_carries_a_csrf_token_and_refuses_a_post_without_it(runtime):
    app = create_app({"KX_RUNTIME": runtime, "TESTING": True})
    browser = app.test_client()
    page = browser.get("/registration/login").get_data(as_text=True)
    assert 'name="csrf_token"' in page and 'for="email"' in page and 'for="password"' in page
    refused = browser.post("/registration/login", data={"email": "a@example.org", "password": "x"})
    assert refused.status_code == 400


def test_signing_in_with_nothing_shows_the_error_summary_and_each_message(client):
    response = client.post("/registration/login", data={"email": "", "password": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There is a problem" in page and 'href="#email"' in page and 'href="#password"' in page
    assert 'id="email-error"' in page and "Error:" in page


def test_a_wrong_password_is_refused_without_saying_which_part_was_wrong(client, runtime):
    with runtime.session() as session, session.begin():
        create_staff(session, "admin@example.org", "Programme team", "right password", {"admin": []})
    response = client.post("/registration/login", data={"email": "admin@example.org", "password": "wrong"})
    assert response.status_code == 401 and "Enter a correct email address and password" in response.get_data(True)


def test_signing_in_then_out_through_the_browser(client, runtime, catalogue):
    with runtime.session() as session, session.begin():
        create_staff(session, "admin@example.org", "Programme team", "right password", {"admin": []})
    response = client.post("/registration/login?next=/registration/staff/",
                           data={"email": "Admin@Example.org ", "password": "right password"})
    assert response.status_code == 302 and response.headers["Location"] == "/registration/staff/"
    home = client.get("/registration/staff/")
    assert home.status_code == 200 and "Open access crisis café" in home.get_data(True)
    assert client.post("/registration/logout").status_code == 302
    assert client.get("/registration/staff/").status_code == 302


def test_sign_in_never_sends_you_to_another_site(client, runtime):
    with runtime.session() as session, session.begin():
        create_staff(session, "admin@example.org", "Programme team", "right password", {"admin": []})
    response = client.post("/registration/login?next=//evil.example.org/",
                           data={"email": "admin@example.org", "password": "right password"})
    assert response.headers["Location"] == "/registration/staff/"


STAFF_PAGES = [
    ("get", "/registration/staff/exchanges/new", "admin"),
    ("get", "/registration/staff/exchanges/{id}/edit", "admin"),
    ("get", "/registration/staff/exchanges/{id}/close", "admin"),
    ("post", "/registration/staff/exchanges/{id}/close", "admin"),
    ("post", "/registration/staff/exchanges/{id}/reopen", "admin"),
    ("get", "/registration/staff/themes", "admin"),
    ("get", "/registration/staff/exchanges/{id}/participants", "host"),
    ("get", "/registration/staff/exchanges/{id}/participants.csv", "host"),
    ("get", "/registration/staff/exchanges/{id}/attendance", "host"),
]


@pytest.mark.parametrize(("method", "path", "who"), STAFF_PAGES)
def test_staff_pages_send_anonymous_visitors_to_sign_in(client, catalogue, method, path, who):
    response = getattr(client, method)(path.format(id=catalogue))
    assert response.status_code == 302 and response.headers["Location"].startswith("/registration/login?next=")


@pytest.mark.parametrize(("method", "path", "who"), STAFF_PAGES)
def test_staff_pages_refuse_the_wrong_role_with_403(signed_in, catalogue, method, path, who):
    for roles in ({"finance": []}, {"theme_lead": ["T1"]}, {"host": [999]}):
        assert getattr(signed_in(**roles), method)(path.format(id=catalogue)).status_code == 403


@pytest.mark.parametrize(("method", "path", "who"), STAFF_PAGES)
def test_staff_pages_admit_the_right_role(signed_in, catalogue, method, path, who):
    roles = {"admin": []} if who == "admin" else {"host": [catalogue]}
    assert getattr(signed_in(**roles), method)(path.format(id=catalogue)).status_code in (200, 302)


def test_the_programme_team_sees_every_exchange_with_its_numbers(signed_in, runtime, catalogue):
    for n in range(1, 6):
        apply_now(runtime, applicant(n), [catalogue])
    page = signed_in(admin=[]).get("/registration/staff/").get_data(as_text=True)
    cells = re.findall(r"<td[^>]*>(\d+)</td>", page)
    assert cells[:4] == ["3", "3", "2", "0"] and "Full" in page and "Add an exchange" in page


def test_a_host_sees_only_the_exchanges_they_host(signed_in, runtime, catalogue):
    page = signed_in(host=[999]).get("/registration/staff/").get_data(as_text=True)
    assert "Open access crisis café" not in page and "Add an exchange" not in page


def test_adding_an_exchange_through_the_form_publishes_it(signed_in, runtime, catalogue):
    form = {"title": "Walk-in clinic", "theme": "T1.2", "host_name": "Example Health Board",
            "host_accounts": "host2@example.org", "site": "Example Clinic", "town": "Bangor",
            "starts_at": "2027-03-10T10:00", "ends_at": "2027-03-10T14:00", "capacity": "8",
            "booking_closes_at": "2027-02-26T23:59", "description": "Illustrative.",
            "learning_outcomes": "One\nTwo", "orientation_starts_at": "2027-02-24T12:30",
            "orientation_url": "https://example.org/o"}
    response = signed_in(admin=[]).post("/registration/staff/exchanges/new", data=form)
    assert response.status_code == 302
    kind, data = events(runtime, "registration.exchange.published")[-1]
    assert (data["title"], data["subtheme"], data["capacity"]) == ("Walk-in clinic", "T1.2", 8)
    assert data["starts_at"] == "2027-03-10T10:00:00+00:00" and data["learning_outcomes"] == ["One", "Two"]
    assert data["host"]["accounts"] == ["host2@example.org"]


def test_an_invalid_exchange_form_shows_each_problem_beside_its_field(signed_in, catalogue):
    response = signed_in(admin=[]).post("/registration/staff/exchanges/new", data={
        "title": "", "theme": "T1", "starts_at": "soon", "capacity": "many"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "There is a problem" in page
    for field in ("title", "starts_at", "capacity", "host_name", "site", "town"):
        assert f'id="{field}-error"' in page, field


def test_lowering_capacity_below_the_confirmed_count_is_shown_on_the_form(signed_in, runtime, catalogue):
    for n in range(1, 4):
        apply_now(runtime, applicant(n), [catalogue])
    browser = signed_in(admin=[])
    form = browser.get(f"/registration/staff/exchanges/{catalogue}/edit").get_data(as_text=True)
    values = dict(re.findall(r'name="([a-z_]+)" type="[a-z-]+" value="([^"]*)"', form))
    values.update({"capacity": "1", "theme": "T1.1", "description": "", "learning_outcomes": "",
                   "host_accounts": "host@example.org"})
    response = browser.post(f"/registration/staff/exchanges/{catalogue}/edit", data=values)
    assert response.status_code == 422 and 'id="capacity-error"' in response.get_data(True)


def test_closing_and_reopening_from_the_list(signed_in, runtime, catalogue):
    browser = signed_in(admin=[])
    browser.post(f"/registration/staff/exchanges/{catalogue}/close")
    with runtime.session() as session:
        assert session.get(Exchange, catalogue).closed
    browser.post(f"/registration/staff/exchanges/{catalogue}/reopen")
    with runtime.session() as session:
        assert not session.get(Exchange, catalogue).closed


def test_hosts_see_participants_with_type_group_and_access_needs(signed_in, runtime, catalogue):
    apply_now(runtime, applicant(1, participant_type="experience", access_needs="Hearing loop"), [catalogue])
    response = signed_in(host=[catalogue]).get(f"/registration/staff/exchanges/{catalogue}/participants")
    page = response.get_data(as_text=True)
    assert "Expert by experience" in page and ">Health</td>" in page and "Hearing loop" in page
    assert response.headers["Cache-Control"] == "no-store"


def test_the_attendance_grid_records_ticks_and_leaves_unticked_boxes_unrecorded(signed_in, runtime, catalogue):
    first = apply_now(runtime, applicant(1), [catalogue]).bookings[0].booking.id
    second = apply_now(runtime, applicant(2), [catalogue]).bookings[0].booking.id
    held(runtime, catalogue)
    cells = [f"{b}:{s}" for b in (first, second) for s in ("orientation", "exchange", "reflection")]
    browser = signed_in(host=[catalogue])
    response = browser.post(f"/registration/staff/exchanges/{catalogue}/attendance",
                            data={"shown": cells, "attended": [f"{first}:orientation", f"{first}:exchange"]})
    assert response.status_code == 302
    with runtime.session() as session:
        recorded = {(a.booking_id, a.stage): a.attended for a in session.scalars(select(Attendance))}
    assert recorded == {(first, "orientation"): True, (first, "exchange"): True}
    browser.post(f"/registration/staff/exchanges/{catalogue}/attendance",
                 data={"shown": cells, "attended": [f"{first}:orientation"]})
    with runtime.session() as session:
        assert session.get(Attendance, (first, "exchange")).attended is False
    page = browser.get(f"/registration/staff/exchanges/{catalogue}/attendance").get_data(as_text=True)
    assert page.count("checked") == 1
    assert len(events(runtime, "registration.attendance.recorded")) == 3


def test_the_programme_team_adds_a_theme_with_subthemes(signed_in, client, catalogue):
    response = signed_in(admin=[]).post("/registration/staff/themes", data={
        "code": "T4", "title": "Digital", "subthemes": "T4.1 Digital front doors\nT4.2 Remote care"})
    assert response.status_code == 302
    themes = client.get("/registration/api/themes").get_json()
    assert themes[-1]["subthemes"] == [{"code": "T4.1", "title": "Digital front doors", "title_cy": None},
                                       {"code": "T4.2", "title": "Remote care", "title_cy": None}]


def test_the_programme_team_gives_a_theme_and_its_subthemes_welsh_titles(signed_in, client, catalogue):
    browser = signed_in(admin=[])
    form = browser.get("/registration/staff/themes").get_data(as_text=True)
    assert 'name="title_cy"' in form and 'name="subthemes_cy"' in form and 'lang="cy"' in form
    response = browser.post("/registration/staff/themes", data={
        "code": "T4", "title": "Digital", "title_cy": "Digidol",
        "subthemes": "T4.1 Digital front doors\nT4.2 Remote care", "subthemes_cy": "T4.1 Drysau ffrynt digidol"})
    assert response.status_code == 302
    theme = client.get("/registration/api/themes").get_json()[-1]
    assert theme["title_cy"] == "Digidol"
    assert theme["subthemes"] == [{"code": "T4.1", "title": "Digital front doors", "title_cy": "Drysau ffrynt digidol"},
                                  {"code": "T4.2", "title": "Remote care", "title_cy": None}]
    page = browser.get("/registration/staff/themes/T4").get_data(as_text=True)
    assert 'value="Digidol"' in page and "T4.1 Drysau ffrynt digidol" in page


def test_a_welsh_subtheme_title_needs_the_code_of_an_english_one(signed_in, client, catalogue):
    response = signed_in(admin=[]).post("/registration/staff/themes", data={
        "code": "T4", "title": "Digital", "subthemes": "T4.1 Digital front doors", "subthemes_cy": "T4.9 Gofal o bell"})
    assert response.status_code == 422
    assert "there is no sub-theme T4.9" in response.get_data(as_text=True)
    assert all(theme["code"] != "T4" for theme in client.get("/registration/api/themes").get_json())


def test_editing_a_closed_exchange_through_the_form_keeps_it_closed(signed_in, runtime, catalogue):
    browser = signed_in(admin=[])
    browser.post(f"/registration/staff/exchanges/{catalogue}/close")
    form = browser.get(f"/registration/staff/exchanges/{catalogue}/edit").get_data(as_text=True)
    values = dict(re.findall(r'name="([a-z_]+)" type="[a-z-]+" value="([^"]*)"', form))
    values.update({"title": "Renamed", "theme": "T1.1", "description": "", "learning_outcomes": "One",
                   "host_accounts": "host@example.org"})
    assert browser.post(f"/registration/staff/exchanges/{catalogue}/edit", data=values).status_code == 302
    with runtime.session() as session:
        exchange = session.get(Exchange, catalogue)
        assert exchange.closed and exchange.title == "Renamed"


#: `next=` values as they arrive in the query string (percent-encoded), none of which may leave here
NASTY_NEXT = ["/%09/evil.example/", "/%0d/x", "/%0D%0ASet-Cookie:%20a=b", "%09//evil.example/", "/%5Cevil.example/",
              "/%5C/evil.example/", "//evil.example/", "https://evil.example/", "javascript:alert(1)",
              "/%E2%80%A8/x", "http:%2F%2Fevil.example"]


@pytest.mark.parametrize("nasty", NASTY_NEXT)
def test_sign_in_with_a_nasty_next_goes_to_the_staff_home_and_never_fails(client, runtime, nasty):
    with runtime.session() as session, session.begin():
        create_staff(session, "admin@example.org", "Programme team", "right password", {"admin": []})
    form = client.get(f"/registration/login?next={nasty}")
    action = re.search(r'<form method="post" action="([^"]*)"', form.get_data(True)).group(1)
    assert form.status_code == 200 and action == "/registration/login"
    response = client.post(f"/registration/login?next={nasty}",
                           data={"email": "admin@example.org", "password": "right password"})
    assert response.status_code == 302 and response.headers["Location"] == "/registration/staff/"


def test_the_exchange_form_shows_every_problem_at_once_including_dates_out_of_order(signed_in, catalogue):
    response = signed_in(admin=[]).post("/registration/staff/exchanges/new", data={
        "title": "", "theme": "T1", "host_name": "Board", "site": "Clinic", "town": "Bangor", "capacity": "0",
        "starts_at_date": "2027-03-10", "starts_at_time": "10:00",
        "ends_at_date": "2027-03-10", "ends_at_time": "09:00",
        "booking_closes_at_date": "2027-03-11", "booking_closes_at_time": "12:00",
        "orientation_starts_at_date": "2027-03-10", "orientation_starts_at_time": "09:30",
        "reflection_starts_at_date": "2027-03-10", "reflection_starts_at_time": "08:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    for field, message in [("title", "Enter a title."), ("capacity", "from 1 to 10,000"),
                           ("ends_at", "The end must be after the start."),
                           ("booking_closes_at", "Booking must close before the exchange starts."),
                           ("orientation_starts_at", "must end before the exchange starts"),
                           ("reflection_starts_at", "must start after the exchange ends")]:
        assert f'id="{field}-error"' in page and message in page, field
    start = page.index("kx-error-summary")
    summary = page[start:page.index("</ul>", start)]  # (the staff navigation above it is a list too)
    assert summary.index("#title") < summary.index("#capacity") < summary.index("#reflection_starts_at")


def test_the_exchange_form_asks_for_a_date_and_a_time_in_uk_time_and_never_for_an_offset(signed_in, runtime,
                                                                                          catalogue):
    browser = signed_in(admin=[])
    form = browser.get("/registration/staff/exchanges/new").get_data(as_text=True)
    assert 'name="starts_at_date" type="date"' in form and 'name="starts_at_time" type="time"' in form
    assert "offset" not in form.lower() and "datetime-local" not in form
    response = browser.post("/registration/staff/exchanges/new", data={
        "title": "Summer visit", "theme": "T1.2", "host_name": "Board", "site": "Clinic", "town": "Bangor",
        "capacity": "4", "starts_at_date": "2027-07-10", "starts_at_time": "10:00",
        "ends_at_date": "2027-07-10", "ends_at_time": "14:00", "booking_closes_at_date": "",
        "booking_closes_at_time": "", "reserved_until_date": "2027-07-01", "reserved_until_time": "25:00"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "offset" not in page.lower()
    assert "Enter a date and a time." in page and "Enter a real date and a time." in page
    response = browser.post("/registration/staff/exchanges/new", data={
        "title": "Summer visit", "theme": "T1.2", "host_name": "Board", "site": "Clinic", "town": "Bangor",
        "capacity": "4", "starts_at_date": "2027-07-10", "starts_at_time": "10:00",
        "ends_at_date": "2027-07-10", "ends_at_time": "14:00", "booking_closes_at_date": "2027-07-01",
        "booking_closes_at_time": "23:59"})
    assert response.status_code == 302
    kind, data = events(runtime, "registration.exchange.published")[-1]
    assert data["starts_at"] == "2027-07-10T09:00:00+00:00"
    edit = browser.get(f"/registration/staff/exchanges/{data['id']}/edit").get_data(as_text=True)
    assert 'name="starts_at_date" type="date" value="2027-07-10"' in edit
    assert 'name="starts_at_time" type="time" value="10:00"' in edit


def test_closing_and_reopening_ask_for_confirmation_first(signed_in, runtime, catalogue):
    browser = signed_in(admin=[])
    home = browser.get("/registration/staff/").get_data(as_text=True)
    assert f'href="/registration/staff/exchanges/{catalogue}/close"' in home
    confirm = browser.get(f"/registration/staff/exchanges/{catalogue}/close")
    assert confirm.status_code == 200 and "Close bookings for Open access crisis café?" in confirm.get_data(True)
    with runtime.session() as session:
        assert not session.get(Exchange, catalogue).closed
    assert browser.post(f"/registration/staff/exchanges/{catalogue}/close").status_code == 302
    home = browser.get("/registration/staff/").get_data(as_text=True)
    assert f'href="/registration/staff/exchanges/{catalogue}/reopen"' in home
    confirm = browser.get(f"/registration/staff/exchanges/{catalogue}/reopen").get_data(as_text=True)
    assert "Reopen bookings for Open access crisis café?" in confirm
    with runtime.session() as session:
        assert session.get(Exchange, catalogue).closed


def test_the_attendance_grid_offers_no_boxes_for_a_stage_still_to_come_and_says_when_it_opens(
        signed_in, runtime, catalogue):
    booking = apply_now(runtime, applicant(1), [catalogue]).bookings[0].booking.id
    with runtime.session() as session, session.begin():  # the orientation session has happened
        exchange = session.get(Exchange, catalogue)
        exchange.orientation_starts_at = exchange.orientation_starts_at.replace(year=2020)
        opens = exchange.starts_at
    browser = signed_in(host=[catalogue])
    page = browser.get(f"/registration/staff/exchanges/{catalogue}/attendance").get_data(as_text=True)
    assert f'id="a-{booking}-orientation"' in page
    assert f'id="a-{booking}-exchange"' not in page and f'id="a-{booking}-reflection"' not in page
    assert f"Opens on {opens.day} " in page and "once it has started" in page
    welsh = browser.get(f"/registration/staff/exchanges/{catalogue}/attendance?lang=cy").get_data(as_text=True)
    assert f"Yn agor ar {opens.day} " in welsh and "Opens on" not in welsh
    # a grid sent with a box the page never offered records nothing for that stage (still in Welsh)
    refused = browser.post(f"/registration/staff/exchanges/{catalogue}/attendance",
                           data={"shown": [f"{booking}:exchange"], "attended": [f"{booking}:exchange"]})
    assert refused.status_code == 409 and "heb ddechrau eto" in refused.get_data(as_text=True)
    with runtime.session() as session:
        assert session.scalars(select(Attendance)).all() == []
