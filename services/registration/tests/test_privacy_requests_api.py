"""`/registration/api/privacy/requests`: only the programme team may ask; bad input gets a specific
error and changes nothing; what registration itself answers and emits (docs/privacy.md)."""

from __future__ import annotations

import json

from sqlalchemy import func, select

from services.registration.models import Application, PrivacyRequest

from .conftest import applicant, apply_now, events

URL = "/registration/api/privacy/requests"


def _count(runtime) -> int:
    with runtime.session() as session:
        return session.scalar(select(func.count()).select_from(PrivacyRequest))


def test_only_the_programme_team_may_make_or_read_requests(client, auth):
    assert client.post(URL, json={"email": "a@example.org", "kind": "access"}).status_code == 401
    assert client.post(URL, json={"email": "a@example.org", "kind": "access"},
                       headers=auth(finance=[])).status_code == 403
    assert client.get(URL, headers=auth(host=[1])).status_code == 403


def test_bad_requests_are_refused_field_by_field_and_change_nothing(client, auth, runtime):
    admin = auth(admin=[])
    for body, field in (({"kind": "access"}, "email"), ({"email": "not-an-email", "kind": "access"}, "email"),
                        ({"email": "a@example.org", "kind": "forget"}, "kind"), ({"email": "a@example.org"}, "kind"),
                        ({"email": "a@example.org", "kind": "access", "extra": 1}, "extra")):
        response = client.post(URL, json=body, headers=admin)
        assert response.status_code == 422 and field in response.json["error"]["fields"], body
    assert client.post(URL, data="[", headers={**admin, "Content-Type": "application/json"}).status_code == 400
    assert client.get(f"{URL}/no-such-request", headers=admin).status_code == 404
    assert client.get(f"{URL}/{'x' * 500}/export.json", headers=admin).status_code == 404
    assert _count(runtime) == 0


def test_an_access_request_is_due_in_a_month_and_travels_without_the_email(client, auth, runtime, catalogue):
    apply_now(runtime, applicant(1, email="Person1@Example.org", access_needs="A quiet room"), [catalogue])
    made = client.post(URL, json={"email": "person1@example.org", "kind": "access"}, headers=auth(admin=[]))
    assert made.status_code == 202
    kind, data = events(runtime, "privacy.")[-1]
    assert kind == "privacy.access.requested" and data["request_id"] == made.json["id"]
    assert data["due_at"] == made.json["due_at"] and len(data["application_ids"]) == 1
    assert "example.org" not in json.dumps(data).lower() and "quiet room" not in json.dumps(data)
    status = client.get(f"{URL}/{made.json['id']}", headers=auth(admin=[])).json
    assert status["status"] == "in_progress" and status["services"]["registration"]["status"] == "answered"
    assert status["services"]["learning"]["status"] == "waiting"
    assert client.get(f"{URL}/{made.json['id']}/export.json", headers=auth(admin=[])).status_code == 409


def test_erasure_is_refused_while_they_hold_a_place_on_an_exchange_to_come(client, auth, runtime, catalogue):
    apply_now(runtime, applicant(1), [catalogue])
    response = client.post(URL, json={"email": "person1@example.org", "kind": "erasure"}, headers=auth(admin=[]))
    assert response.status_code == 409 and response.json["error"]["code"] == "active_bookings"
    assert _count(runtime) == 0
    with runtime.session() as session:
        assert session.scalar(select(Application.name)) == "Person 1 Example"


PAGE = "/registration/staff/privacy"


def test_the_programme_team_page_makes_requests_and_shows_their_progress(client, signed_in, runtime, catalogue):
    assert client.get(PAGE).status_code == 302  # to sign in
    signed_in(host=[catalogue])
    assert client.get(PAGE).status_code == 403
    signed_in(admin=[])
    assert "No requests yet." in client.get(PAGE).get_data(as_text=True)

    refused = client.post(PAGE, data={"email": "typed@example", "kind": ""})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "There is a problem" in html
    assert 'value="typed@example"' in html and "Choose access (a copy of their data) or erasure." in html
    assert _count(runtime) == 0

    made = client.post(PAGE, data={"email": "someone@example.org", "kind": "access"})
    assert made.status_code == 302 and _count(runtime) == 1
    html = client.get(PAGE).get_data(as_text=True)
    assert "1 of 4" in html and "In progress" in html and "someone@example.org" not in html
