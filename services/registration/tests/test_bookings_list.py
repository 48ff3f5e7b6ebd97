"""The programme team's list of every booking: search, filters, totals, paging, its downloads (CSV
safe from formulas, XLSX), the page in English and Welsh, and who may see it."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from openpyxl import load_workbook

from services.registration.operations import cancel_booking, record_attendance
from shared.testing import staff_token

from .conftest import STARTS, add_exchange, applicant, apply_now


@pytest.fixture
def programme(runtime, catalogue):
    """Exchange A (3 places): persons 1-4 (4 waits), person 1 came to the visit, person 2 cancelled,
    so person 4 was promoted. Exchange B: person 5 (an expert by experience, lived experience, at
    "=HYPERLINK" Ltd) and person 1 again (joining person 1's one application)."""
    second = add_exchange(runtime, title="Second exchange")
    results = {n: apply_now(runtime, applicant(n), [catalogue]) for n in (1, 2, 3, 4)}
    apply_now(runtime, applicant(5, "experience", stakeholder_group="lived_experience",
                                 organisation='=HYPERLINK("http://evil")'), [second])
    apply_now(runtime, applicant(1), [second])
    with runtime.session() as session, session.begin():
        record_attendance(session, catalogue, "person1@example.org", "exchange", True,
                          now=STARTS + timedelta(hours=1))
        cancel_booking(session, results[2].manage_token, catalogue)
    return {"a": catalogue, "b": second}


def listed(client, auth, **query):
    response = client.get("/registration/api/bookings", query_string=query, headers=auth(admin=[]))
    assert response.status_code == 200, response.json
    return response


def totals(client, auth, **query):
    response = client.get("/registration/api/bookings/totals", query_string=query, headers=auth(admin=[]))
    assert response.status_code == 200, response.json
    return response.json


def test_the_list_holds_every_booking_newest_first_with_the_total_in_a_header(client, auth, programme):
    response = listed(client, auth)
    assert response.headers["X-Total-Count"] == "6"
    assert response.headers["Cache-Control"] == "no-store"
    assert [(r["email"], r["exchange_id"]) for r in response.json][:2] == [
        ("person1@example.org", programme["b"]), ("person5@example.org", programme["b"])]
    first_booking = next(r for r in response.json if r["email"] == "person1@example.org"
                         and r["exchange_id"] == programme["a"])
    assert first_booking["attended"] is True and first_booking["exchange_title"] == "Open access crisis café"


def test_totals_count_applications_and_bookings_by_status_and_attendance(client, auth, programme):
    # person 1 applied twice: one person, one application (issue 15), so 5 applications for 6 bookings
    assert totals(client, auth) == {"applications": 5, "bookings": 6, "confirmed": 5, "waiting": 0,
                                    "cancelled": 1, "attended": 1}
    assert totals(client, auth, exchange=programme["a"]) == {"applications": 4, "bookings": 4, "confirmed": 3,
                                                             "waiting": 0, "cancelled": 1, "attended": 1}


def test_search_finds_by_part_of_a_name_an_email_or_an_organisation_whatever_the_case(client, auth, programme):
    assert {r["email"] for r in listed(client, auth, q="PERSON 3").json} == {"person3@example.org"}
    assert {r["email"] for r in listed(client, auth, q="person4@EXAMPLE").json} == {"person4@example.org"}
    assert {r["email"] for r in listed(client, auth, q="hyperlink").json} == {"person5@example.org"}
    assert listed(client, auth, q="%").json == []  # taken literally, not as a wildcard


def test_filters_narrow_by_exchange_status_participant_type_and_stakeholder_group(client, auth, programme):
    assert {r["email"] for r in listed(client, auth, status="cancelled").json} == {"person2@example.org"}
    assert {r["email"] for r in listed(client, auth, participant_type="experience").json} == {"person5@example.org"}
    assert {r["email"] for r in listed(client, auth, stakeholder_group="lived_experience").json} == {
        "person5@example.org"}
    assert {r["email"] for r in listed(client, auth, exchange=programme["b"], status="confirmed").json} == {
        "person1@example.org", "person5@example.org"}
    assert len(listed(client, auth, status="").json) == 6  # an empty filter, as a form sends it, narrows nothing


def test_pages_split_the_selection_and_the_header_counts_all_of_it(client, auth, programme):
    first, second = listed(client, auth, per_page=4), listed(client, auth, per_page=4, page=2)
    assert len(first.json) == 4 and len(second.json) == 2
    assert second.headers["X-Total-Count"] == "6"
    assert not {r["booking_id"] for r in first.json} & {r["booking_id"] for r in second.json}


@pytest.mark.parametrize("query, field", [({"status": "lost"}, "status"), ({"exchange": "x"}, "exchange"),
                                          ({"page": "0"}, "page"), ({"per_page": "500"}, "per_page"),
                                          ({"participant_type": "nobody"}, "participant_type")])
def test_a_bad_filter_is_refused_naming_its_field(client, auth, programme, query, field):
    response = client.get("/registration/api/bookings", query_string=query, headers=auth(admin=[]))
    assert response.status_code == 422 and field in response.json["error"]["fields"]


def test_only_the_programme_team_sees_the_list(client, auth, programme):
    assert client.get("/registration/api/bookings").status_code == 401
    assert client.get("/registration/api/bookings", headers=auth(host=[programme["a"]])).status_code == 403
    assert client.get("/registration/api/bookings/totals", headers=auth(finance=[])).status_code == 403


@pytest.fixture
def admin_page(client, embedded_settings):
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(embedded_settings, {"admin": []}, 77, email="team@example.org")
    return client


def test_the_page_sends_a_signed_out_person_to_sign_in_and_back(client, programme):
    assert client.get("/registration/staff/bookings").headers["Location"].endswith(
        "/registration/login?next=/registration/staff/bookings")


def test_the_page_lists_filters_and_counts_in_english_and_welsh(admin_page, programme):
    page = admin_page.get("/registration/staff/bookings", query_string={"status": "cancelled"})
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    text = page.get_data(as_text=True)
    assert "person2@example.org" in text and "person3@example.org" not in text
    assert "1 booking" in text
    welsh = admin_page.get("/registration/staff/bookings", query_string={"lang": "cy"}).get_data(as_text=True)
    assert 'lang="cy"' in welsh and "Ymgeiswyr ac archebion" in welsh


def test_a_bad_filter_on_the_page_is_shown_beside_its_field(admin_page, programme):
    page = admin_page.get("/registration/staff/bookings", query_string={"exchange": "x"})
    assert page.status_code == 400
    text = page.get_data(as_text=True)
    assert "Choose an exchange from the list." in text and "kx-error-summary" in text


def test_the_csv_download_is_the_selection_in_words_and_safe_from_formulas(admin_page, programme):
    response = admin_page.get("/registration/staff/bookings.csv", query_string={"exchange": programme["b"]})
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["Booking", "Exchange number", "Exchange"]
    assert len(rows) == 3
    evil = next(r for r in rows if "person5@example.org" in r)
    assert "'=HYPERLINK(\"http://evil\")" in evil and "Expert by experience" in evil


def test_the_xlsx_download_holds_the_same_rows(admin_page, programme):
    response = admin_page.get("/registration/staff/bookings.xlsx", query_string={"status": "confirmed"})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert len(values) == 1 + 5
    assert all(not str(cell).startswith("=") for row in values for cell in row if cell is not None)


def test_the_page_links_to_the_next_and_previous_pages_keeping_the_filters(admin_page, runtime, catalogue):
    for number in range(1, 53):
        apply_now(runtime, applicant(number), [catalogue])
    first = admin_page.get("/registration/staff/bookings", query_string={"participant_type": "occupation"}).get_data(as_text=True)
    assert "Page 1 of 2" in first and "participant_type=occupation&amp;page=2" in first
    second = admin_page.get("/registration/staff/bookings", query_string={"participant_type": "occupation", "page": 2})
    assert "Previous page" in second.get_data(as_text=True)
