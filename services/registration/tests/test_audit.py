"""Registration's audit log: an entry for each kind of staff change, made through the API as a member
of staff would; filters and paging; the append-only guard; erasure and subject access."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DatabaseError

from services.registration import privacy
from services.registration.models import Audit
from shared import audit
from shared.audit import ERASED, AppendOnlyError
from shared.privacy import Subject, lookup_key

from .conftest import applicant, apply_now, held
from .test_api_staff import _exchange_body


def entries(client, auth, **query):
    response = client.get("/registration/api/audit", query_string=query, headers=auth(admin=[]))
    assert response.status_code == 200, response.json
    return response.json


@pytest.fixture
def booked(runtime, catalogue):
    """Person 1 booked the exchange, which has since been held (attendance can be recorded)."""
    apply_now(runtime, applicant(1), [catalogue])
    held(runtime, catalogue)
    return catalogue


def test_each_kind_of_change_is_written_newest_first_with_only_what_changed(client, auth, booked):
    admin = auth(admin=[], staff_id=7)
    assert client.post("/registration/api/themes", json={"code": "T9", "title": "A theme"}, headers=admin).status_code == 201
    client.patch("/registration/api/themes/T9", json={"title": "Renamed"}, headers=admin)
    created = client.post("/registration/api/exchanges", json=_exchange_body(), headers=admin).json["id"]
    client.patch(f"/registration/api/exchanges/{booked}", json={"capacity": 5}, headers=admin)
    client.patch(f"/registration/api/exchanges/{booked}", json={"title": "Retitled"}, headers=admin)
    client.post(f"/registration/api/exchanges/{booked}/close", headers=admin)
    client.post(f"/registration/api/exchanges/{booked}/reopen", headers=admin)
    client.post(f"/registration/api/exchanges/{booked}/attendance", headers=admin,
                json={"email": "person1@example.org", "stage": "exchange", "attended": True})
    client.post("/registration/api/privacy/requests", json={"email": "nobody@example.org", "kind": "access"},
                headers=admin)

    log = entries(client, auth)
    assert [e["action"] for e in log] == [
        "privacy.requested", "attendance.recorded", "exchange.reopened", "exchange.closed", "exchange.changed",
        "exchange.capacity", "exchange.created", "theme.changed", "theme.created"]
    assert all(e["actor"]["id"] == 7 for e in log)
    by_action = {e["action"]: e for e in log}
    assert by_action["exchange.capacity"]["subject"] == {"kind": "exchange", "id": str(booked)}
    assert (by_action["exchange.capacity"]["before"], by_action["exchange.capacity"]["after"]) == (
        {"capacity": 3}, {"capacity": 5})
    assert by_action["exchange.changed"]["after"] == {"title": "Retitled"}
    assert by_action["exchange.created"]["before"] is None
    assert by_action["exchange.created"]["subject"]["id"] == str(created)
    assert by_action["exchange.created"]["after"]["host_accounts"] == ["someone@example.org"]
    assert by_action["theme.changed"]["after"] == {"title": "Renamed"}
    assert by_action["attendance.recorded"]["after"] == {"attended": True}
    assert by_action["privacy.requested"]["after"] == {"kind": "access"}
    assert "nobody@example.org" not in str(log), "a privacy request's email is not written"


def test_a_change_that_changes_nothing_writes_nothing(client, auth, booked):
    client.post(f"/registration/api/exchanges/{booked}/reopen", headers=auth(admin=[]))
    client.patch(f"/registration/api/exchanges/{booked}", json={"capacity": 3}, headers=auth(admin=[]))
    assert entries(client, auth) == []


def test_the_pages_record_the_same_changes(client, auth, booked):
    with client.session_transaction() as cookie:
        from shared.testing import staff_token

        cookie["staff_token"] = staff_token(client.application.extensions["kx"].settings, {"admin": []}, 3)
    assert client.post(f"/registration/staff/exchanges/{booked}/close").status_code == 302
    assert [(e["action"], e["actor"]["id"]) for e in entries(client, auth)] == [("exchange.closed", 3)]


def test_filters_and_paging(client, auth, booked):
    for capacity, staff_id in ((4, 1), (5, 2), (6, 1)):
        client.patch(f"/registration/api/exchanges/{booked}", json={"capacity": capacity},
                     headers=auth(admin=[], staff_id=staff_id))
    client.post(f"/registration/api/exchanges/{booked}/close", headers=auth(admin=[], staff_id=2))

    assert [e["after"] for e in entries(client, auth, actor="1")] == [{"capacity": 6}, {"capacity": 4}]
    assert len(entries(client, auth, action="exchange.closed")) == 1
    assert len(entries(client, auth, since="2000-01-01", until="2999-12-31")) == 4
    assert entries(client, auth, until="2000-01-01") == []

    page = client.get("/registration/api/audit", query_string={"per_page": 3, "page": 2}, headers=auth(admin=[]))
    assert page.headers["X-Total-Count"] == "4"
    assert [e["after"] for e in page.json] == [{"capacity": 4}]

    for bad in ({"action": "nonsense"}, {"since": "yesterday"}, {"per_page": 0}, {"page": "x"}):
        refused = client.get("/registration/api/audit", query_string=bad, headers=auth(admin=[]))
        assert refused.status_code == 422, bad


def test_only_admins_read_the_log(client, auth, booked):
    assert client.get("/registration/api/audit").status_code == 401
    for roles in ({"host": [booked]}, {"finance": []}, {"theme_lead": ["T1"]}):
        assert client.get("/registration/api/audit", headers=auth(**roles)).status_code == 403


def test_the_admin_page_filters_by_person_action_and_date(client, auth, booked):
    client.post(f"/registration/api/exchanges/{booked}/close", headers=auth(admin=[], staff_id=5))
    with client.session_transaction() as cookie:
        from shared.testing import staff_token

        cookie["staff_token"] = staff_token(client.application.extensions["kx"].settings, {"admin": []}, 3)
    shown = client.get("/registration/staff/audit?actor=5&action=exchange.closed")
    assert shown.status_code == 200
    assert "Applications closed" in shown.get_data(as_text=True)
    assert "No entries match." in client.get("/registration/staff/audit?actor=99").get_data(as_text=True)
    refused = client.get("/registration/staff/audit?since=soon")
    assert refused.status_code == 200 and "There is a problem" in refused.get_data(as_text=True)
    assert "Cofnod archwilio" in client.get("/registration/staff/audit?lang=cy").get_data(as_text=True)


# --- append-only -----------------------------------------------------------------------------------


@pytest.fixture
def one_row(client, auth, booked, runtime):
    client.post(f"/registration/api/exchanges/{booked}/close", headers=auth(admin=[]))
    with runtime.session() as session:
        return session.scalar(select(Audit.id))


def test_the_orm_refuses_to_change_or_delete_an_entry(runtime, one_row):
    with runtime.session() as session:
        session.get(Audit, one_row).action = "exchange.reopened"
        with pytest.raises(AppendOnlyError):
            session.commit()
    with runtime.session() as session:
        session.delete(session.get(Audit, one_row))
        with pytest.raises(AppendOnlyError):
            session.commit()
    with runtime.session() as session:
        with pytest.raises(AppendOnlyError):
            session.execute(update(Audit).values(action="exchange.reopened"))
        with pytest.raises(AppendOnlyError):
            session.execute(delete(Audit))


def test_the_database_refuses_rewrites_and_deletes_but_not_an_erasure(runtime, one_row):
    for statement in ("UPDATE audit SET action = 'exchange.reopened'", "DELETE FROM audit",
                      "UPDATE audit SET actor_email = NULL"):  # not marked as an erasure
        with runtime.engine.connect() as connection:
            with pytest.raises(DatabaseError, match="append-only"):
                connection.execute(text(statement))
            connection.rollback()
    with runtime.engine.begin() as connection:
        connection.execute(text("UPDATE audit SET actor_email = NULL, erased_at = CURRENT_TIMESTAMP"))


# --- personal data ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class StaffWithEmail:
    """A member of staff as tokens will carry them (id and email; issue 13's staff accounts)."""

    id: int
    email: str
    name: str = "Someone"


def test_erasure_removes_the_subject_from_the_log_and_access_includes_it(client, auth, runtime, booked):
    client.post("/registration/api/exchanges", json=_exchange_body(), headers=auth(admin=[]))  # host someone@...
    settings = runtime.settings
    with runtime.session() as session, session.begin():
        audit.record(session, StaffWithEmail(4, "Someone@Example.org"), "theme.changed", ("theme", "T1"),
                     {"title": "Old"}, {"title": "New"})
    subject = Subject(lookup_key(settings, "someone@example.org"))

    with runtime.session() as session:
        exported = privacy.export(session, subject)["audit"]
    assert [(e["action"], e["by_them"]) for e in exported] == [("exchange.created", False), ("theme.changed", True)]

    with runtime.session() as session, session.begin():
        answer = privacy.erase(session, subject)
    assert answer["erased"]["audit"] == 2
    log = entries(client, auth)
    assert "someone@example.org" not in str(log).lower()
    changed, created = log
    assert changed["actor"] == {"id": 4, "email": None} and changed["after"] == {"title": "New"}
    assert created["after"]["host_accounts"] == [ERASED] and created["after"]["title"] == "New exchange"
    with runtime.session() as session:
        assert privacy.export(session, subject)["audit"] == []


def test_retention_erases_every_email_in_the_log_once(client, auth, runtime, booked):
    client.post("/registration/api/exchanges", json=_exchange_body(), headers=auth(admin=[]))
    with runtime.session() as session, session.begin():
        assert audit.forget_everyone(session) == 1
    with runtime.session() as session, session.begin():
        assert audit.forget_everyone(session) == 0
    assert "@" not in str(entries(client, auth))
