"""Every staff endpoint for every role: anonymous 401, wrong role or scope 403, the right one 2xx;
and what the programme team and hosts get from them."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest

from .conftest import STARTS, applicant, apply_now, events, held

ADMIN_ONLY = "admin"
HOST_OF_IT = "host"


def _exchange_body():
    return {"title": "New exchange", "theme": "T1", "subtheme": "T1.2",
            "host": {"name": "Example Health Board", "accounts": ["Someone@Example.org"]},
            "location": {"site": "Example Site", "town": "Bangor"},
            "starts_at": STARTS.isoformat(), "ends_at": (STARTS + timedelta(hours=3)).isoformat(), "capacity": 5,
            "booking_closes_at": (STARTS - timedelta(days=5)).isoformat()}


ENDPOINTS = [
    # (method, path, json, who may)
    ("post", "/registration/api/themes", {"code": "T9", "title": "A theme"}, ADMIN_ONLY),
    ("patch", "/registration/api/themes/T1", {"title": "Renamed"}, ADMIN_ONLY),
    ("post", "/registration/api/exchanges", _exchange_body(), ADMIN_ONLY),
    ("patch", "/registration/api/exchanges/{id}", {"capacity": 4}, ADMIN_ONLY),
    ("post", "/registration/api/exchanges/{id}/close", None, ADMIN_ONLY),
    ("post", "/registration/api/exchanges/{id}/reopen", None, ADMIN_ONLY),
    ("get", "/registration/api/numbers", None, ADMIN_ONLY),
    ("get", "/registration/api/exchanges/{id}/participants", None, HOST_OF_IT),
    ("post", "/registration/api/exchanges/{id}/attendance",
     {"email": "person1@example.org", "stage": "exchange", "attended": True}, HOST_OF_IT),
]


def call(client, method, path, payload, exchange_id, headers=None):
    kwargs = {"headers": headers or {}}
    if payload is not None:
        kwargs["json"] = payload
    return getattr(client, method)(path.format(id=exchange_id), **kwargs)


@pytest.fixture
def booked(runtime, catalogue):
    """Person 1 booked the exchange, which has since been held (attendance can be recorded)."""
    apply_now(runtime, applicant(1), [catalogue])
    held(runtime, catalogue)
    return catalogue


@pytest.mark.parametrize(("method", "path", "payload", "who"), ENDPOINTS)
def test_staff_endpoints_refuse_anonymous_callers_with_401(client, booked, method, path, payload, who):
    response = call(client, method, path, payload, booked)
    assert response.status_code == 401
    assert response.get_json()["error"]["code"] == "unauthorised"


@pytest.mark.parametrize(("method", "path", "payload", "who"), ENDPOINTS)
@pytest.mark.parametrize("roles", [{"finance": []}, {"theme_lead": ["T1"]}, {"host": [999]},
                                   {"finance": [], "theme_lead": ["T1"], "host": [999]}],
                         ids=["finance", "theme_lead", "host_of_another", "every_role_but_these"])
def test_staff_endpoints_refuse_the_wrong_role_or_scope_with_403(client, auth, booked, method, path, payload, who,
                                                                  roles):
    response = call(client, method, path, payload, booked, auth(**roles))
    assert response.status_code == 403


@pytest.mark.parametrize(("method", "path", "payload", "who"), ENDPOINTS)
def test_staff_endpoints_admit_the_programme_team(client, auth, booked, method, path, payload, who):
    assert call(client, method, path, payload, booked, auth(admin=[])).status_code in (200, 201)


@pytest.mark.parametrize(("method", "path", "payload", "who"), [e for e in ENDPOINTS if e[3] == HOST_OF_IT])
def test_host_endpoints_admit_the_host_of_that_exchange(client, auth, booked, method, path, payload, who):
    assert call(client, method, path, payload, booked, auth(host=[booked])).status_code == 200


@pytest.mark.parametrize(("method", "path", "payload", "who"), [e for e in ENDPOINTS if e[3] == ADMIN_ONLY])
def test_admin_endpoints_refuse_hosts_even_of_that_exchange(client, auth, booked, method, path, payload, who):
    assert call(client, method, path, payload, booked, auth(host=[booked])).status_code == 403


def test_a_forged_or_garbled_token_is_a_401(client, booked):
    for header in ("Bearer not-a-token", "Bearer ", "Basic abc"):
        response = client.get(f"/registration/api/exchanges/{booked}/participants", headers={"Authorization": header})
        assert response.status_code == 401


def test_participants_show_type_group_and_access_needs_and_export_as_csv(client, auth, runtime, booked):
    headers = auth(host=[booked])
    rows = client.get(f"/registration/api/exchanges/{booked}/participants", headers=headers).get_json()
    assert rows[0]["participant_type"] == "occupation" and rows[0]["stakeholder_group"] == "health"
    assert "access_needs" in rows[0]
    exported = client.get(f"/registration/api/exchanges/{booked}/participants",
                          headers={**headers, "Accept": "text/csv"})
    assert exported.mimetype == "text/csv"
    table = list(csv.DictReader(io.StringIO(exported.get_data(as_text=True))))
    assert table[0]["email"] == "person1@example.org" and table[0]["status"] == "confirmed"


def test_csv_cells_cannot_run_as_spreadsheet_formulas(client, auth, runtime, catalogue):
    apply_now(runtime, applicant(1, name="=HYPERLINK(\"https://example.org\")"), [catalogue])
    exported = client.get(f"/registration/api/exchanges/{catalogue}/participants",
                          headers={**auth(admin=[]), "Accept": "text/csv"}).get_data(as_text=True)
    assert "'=HYPERLINK" in exported


def test_attendance_for_someone_not_confirmed_on_the_exchange_is_a_422(client, auth, booked):
    response = client.post(f"/registration/api/exchanges/{booked}/attendance", headers=auth(admin=[]),
                           json={"email": "nobody@example.org", "stage": "exchange", "attended": True})
    assert response.status_code == 422 and "email" in response.get_json()["error"]["fields"]


def test_recording_the_same_attendance_twice_raises_one_event(client, auth, runtime, booked):
    for _ in range(2):
        client.post(f"/registration/api/exchanges/{booked}/attendance", headers=auth(host=[booked]),
                    json={"email": "PERSON1@example.org", "stage": "orientation", "attended": True})
    assert len(events(runtime, "registration.attendance.recorded")) == 1


def test_creating_an_exchange_publishes_it_and_keeps_its_host_accounts_private(client, auth, runtime, catalogue):
    created = client.post("/registration/api/exchanges", json=_exchange_body(), headers=auth(admin=[]))
    assert created.status_code == 201
    exchange_id = created.get_json()["id"]
    assert created.get_json()["host"]["accounts"] == ["someone@example.org"]
    public = client.get(f"/registration/api/exchanges/{exchange_id}").get_json()
    assert "accounts" not in public["host"] and public["status"] == "open" and public["places_left"] == 5
    assert events(runtime, "registration.exchange.published")[-1][1]["id"] == exchange_id


def test_an_invalid_exchange_is_a_422_naming_the_field(client, auth, catalogue):
    body = {**_exchange_body(), "starts_at": "2026-03-10T10:00:00", "theme": "T7", "capacity": -1}
    response = client.post("/registration/api/exchanges", json=body, headers=auth(admin=[]))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"starts_at", "capacity"}
    body = {**_exchange_body(), "theme": "T7"}
    response = client.post("/registration/api/exchanges", json=body, headers=auth(admin=[]))
    assert response.status_code == 422 and "theme" in response.get_json()["error"]["fields"]


def test_an_exchange_with_no_places_or_its_dates_out_of_order_is_a_422_naming_each_field(client, auth, catalogue):
    body = {**_exchange_body(), "capacity": 0}
    response = client.post("/registration/api/exchanges", json=body, headers=auth(admin=[]))
    assert response.status_code == 422 and set(response.get_json()["error"]["fields"]) == {"capacity"}
    body = {**_exchange_body(), "booking_closes_at": (STARTS + timedelta(minutes=1)).isoformat(),
            "orientation": {"starts_at": (STARTS - timedelta(minutes=30)).isoformat()},
            "reflection": {"starts_at": (STARTS + timedelta(hours=1)).isoformat()}}
    response = client.post("/registration/api/exchanges", json=body, headers=auth(admin=[]))
    assert response.status_code == 422
    assert set(response.get_json()["error"]["fields"]) == {"booking_closes_at", "orientation.starts_at",
                                                            "reflection.starts_at"}
    created = client.post("/registration/api/exchanges", json=_exchange_body(), headers=auth(admin=[])).get_json()
    late = {"booking_closes_at": (STARTS + timedelta(days=1)).isoformat()}
    response = client.patch(f"/registration/api/exchanges/{created['id']}", json=late, headers=auth(admin=[]))
    assert response.status_code == 422 and "booking_closes_at" in response.get_json()["error"]["fields"]


def test_patching_capacity_below_confirmed_is_a_409(client, auth, runtime, catalogue):
    for n in range(1, 4):
        apply_now(runtime, applicant(n), [catalogue])
    response = client.patch(f"/registration/api/exchanges/{catalogue}", json={"capacity": 2}, headers=auth(admin=[]))
    assert response.status_code == 409


def test_patching_only_the_title_keeps_the_host_accounts(client, auth, runtime, catalogue):
    response = client.patch(f"/registration/api/exchanges/{catalogue}", json={"title": "Renamed"},
                            headers=auth(admin=[]))
    assert response.get_json()["host"]["accounts"] == ["host@example.org"]
    assert response.get_json()["title"] == "Renamed"


def test_closing_shows_closed_and_reopening_shows_open(client, auth, catalogue):
    admin = auth(admin=[])
    assert client.post(f"/registration/api/exchanges/{catalogue}/close", headers=admin).get_json()["status"] == "closed"
    assert client.get("/registration/api/exchanges?status=closed").get_json()[0]["id"] == catalogue
    assert client.post(f"/registration/api/exchanges/{catalogue}/reopen", headers=admin).get_json()["status"] == "open"


def test_the_exchange_list_filters_by_theme_date_and_status(client, runtime, catalogue):
    from .conftest import add_exchange

    other = add_exchange(runtime, title="Workforce", theme="T2", subtheme=None, starts=STARTS + timedelta(days=2))
    assert [e["id"] for e in client.get("/registration/api/exchanges?theme=T2").get_json()] == [other]
    assert [e["id"] for e in client.get("/registration/api/exchanges?theme=T1.1").get_json()] == [catalogue]
    day = client.get(f"/registration/api/exchanges/{other}").get_json()["starts_at"][:10]
    assert [e["id"] for e in client.get(f"/registration/api/exchanges?date={day}").get_json()] == [other]
    assert client.get("/registration/api/exchanges?date=tomorrow").status_code == 422
    assert client.get("/registration/api/exchanges?status=maybe").status_code == 422
    assert client.get("/registration/api/exchanges/999").status_code == 404


def test_themes_are_listed_with_their_subthemes_and_can_be_added(client, auth, catalogue):
    created = client.post("/registration/api/themes", headers=auth(admin=[]),
                          json={"code": "T4", "title": "Digital", "subthemes": [{"code": "T4.1", "title": "Apps"}]})
    assert created.status_code == 201
    themes = client.get("/registration/api/themes").get_json()
    assert themes[0] == {"code": "T1", "title": "Transforming the community mental health system", "title_cy": None,
                         "subthemes": [
        {"code": "T1.1", "title": "Open access care", "title_cy": None},
        {"code": "T1.2", "title": "Person-centred, recovery-oriented, trauma-informed practice", "title_cy": None}]}
    assert themes[-1]["subthemes"] == [{"code": "T4.1", "title": "Apps", "title_cy": None}]
    again = client.post("/registration/api/themes", headers=auth(admin=[]), json={"code": "T4", "title": "Again"})
    assert again.status_code == 409


def test_numbers_count_each_exchange(client, auth, runtime, catalogue):
    for n in range(1, 6):
        apply_now(runtime, applicant(n), [catalogue])
    numbers = client.get("/registration/api/numbers", headers=auth(admin=[])).get_json()
    assert (numbers[0]["confirmed"], numbers[0]["waitlisted"], numbers[0]["places_left"]) == (3, 2, 0)


def test_attendance_for_a_stage_that_has_not_started_is_refused_with_409(client, auth, runtime, catalogue):
    apply_now(runtime, applicant(1), [catalogue])
    for stage in ("orientation", "exchange", "reflection"):
        response = client.post(f"/registration/api/exchanges/{catalogue}/attendance", headers=auth(host=[catalogue]),
                               json={"email": "person1@example.org", "stage": stage, "attended": True})
        assert response.status_code == 409, stage
        error = response.get_json()["error"]
        assert error["code"] == "stage_not_started" and "has not started" in error["message"]
    welsh = client.post(f"/registration/api/exchanges/{catalogue}/attendance",
                        headers={**auth(host=[catalogue]), "Accept-Language": "cy"},
                        json={"email": "person1@example.org", "stage": "exchange", "attended": True})
    assert welsh.status_code == 409 and "heb ddechrau" in welsh.get_json()["error"]["message"]
    assert events(runtime, "registration.attendance.recorded") == []
