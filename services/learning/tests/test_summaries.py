"""A summary's life: versions, submission, approval and return, and who may do which."""

from services.learning.tests.conftest import FULL


def put(client, headers, exchange_id=1, **changes):
    return client.put(f"/learning/api/exchanges/{exchange_id}/summary", json={**FULL, **changes}, headers=headers)


def test_every_save_is_a_version_and_the_history_records_each_step(client, bus, auth):
    bus.exchange(1, theme="T1")
    host, lead = auth(host=[1]), auth(staff_id=2, theme_lead=["T1"])
    assert put(client, host, innovations="First").json["version"] == 1
    second = put(client, host, innovations="Second").json
    assert (second["version"], second["status"], second["innovations"]) == (2, "draft", "Second")
    assert put(client, host, innovations="Second").json["version"] == 2, "saving the same text adds no version"
    assert client.post("/learning/api/exchanges/1/summary/submit", headers=host).json["status"] == "submitted"
    approved = client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=lead).json
    assert (approved["status"], approved["approved_version"]) == ("approved", 2)
    third = put(client, host, innovations="Third").json
    assert (third["status"], third["version"], third["approved_version"]) == ("draft", 3, 2)

    history = client.get("/learning/api/exchanges/1/summary/history", headers=lead).json
    assert [(h["action"], h["version"], h["status"]) for h in history["history"]] == [
        ("saved", 1, "draft"), ("saved", 2, "draft"), ("submitted", 2, "submitted"),
        ("approved", 2, "approved"), ("saved", 3, "draft")]
    assert [v["innovations"] for v in history["versions"]] == ["First", "Second", "Third"]


def test_a_returned_summary_cannot_be_approved_until_resubmitted(client, bus, auth):
    bus.exchange(1, theme="T1", hosts=["host@example.org"])
    host, lead = auth(host=[1]), auth(staff_id=2, theme_lead=["T1"])
    put(client, host)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    returned = client.post("/learning/api/exchanges/1/summary/return", json={"comment": "Add the challenges"},
                           headers=lead)
    assert (returned.json["status"], returned.json["return_comment"]) == ("returned", "Add the challenges")

    refused = client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=lead)
    assert refused.status_code == 409
    assert refused.json["error"]["code"] == "summary_returned"
    assert client.get("/learning/api/exchanges/1/summary", headers=lead).json["status"] == "returned"

    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    assert client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=lead).json["status"] == "approved"


def test_returning_needs_a_comment(client, bus, auth):
    bus.exchange(1)
    host, lead = auth(host=[1]), auth(staff_id=2, theme_lead=["T1"])
    put(client, host)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    response = client.post("/learning/api/exchanges/1/summary/return", json={"comment": "  "}, headers=lead)
    assert response.status_code == 422
    assert "comment" in response.json["error"]["fields"]


def test_a_host_cannot_edit_another_hosts_summary(client, bus, auth):
    bus.exchange(1)
    bus.exchange(2)
    put(client, auth(host=[1]), exchange_id=1, innovations="Mine")
    other = auth(staff_id=7, host=[2])
    assert put(client, other, exchange_id=1, innovations="Not yours").status_code == 403
    assert client.post("/learning/api/exchanges/1/summary/submit", headers=other).status_code == 403
    assert client.get("/learning/api/exchanges/1/summary", headers=auth(host=[1])).json["innovations"] == "Mine"


def test_a_lead_cannot_approve_outside_their_theme(client, bus, auth):
    bus.exchange(1, theme="T2")
    host = auth(host=[1])
    put(client, host)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    other_lead = auth(staff_id=3, theme_lead=["T1"])
    assert client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=other_lead).status_code == 403
    assert client.post("/learning/api/exchanges/1/summary/return", json={"comment": "x"},
                       headers=other_lead).status_code == 403
    assert client.get("/learning/api/exchanges/1/summary", headers=host).json["status"] == "submitted"


def test_without_a_token_the_api_answers_401_and_an_unknown_exchange_404(client, bus, auth):
    bus.exchange(1)
    assert client.get("/learning/api/exchanges/1/summary").status_code == 401
    assert client.get("/learning/api/exchanges/99/summary", headers=auth(admin=[])).status_code == 404


def test_oversized_fields_are_refused_with_the_limit_and_nothing_changes(client, bus, auth):
    bus.exchange(1)
    host = auth(host=[1])
    put(client, host, innovations="Kept")
    too_long = put(client, host, innovations="x" * 5001, key_insights=["y" * 1001] + ["z"] * 20)
    assert too_long.status_code == 422
    fields = too_long.json["error"]["fields"]
    assert {"innovations", "key_insights.0"} <= set(fields)
    assert "key_insights" in put(client, host, key_insights=["z"] * 21).json["error"]["fields"], "at most 20"
    assert client.get("/learning/api/exchanges/1/summary", headers=host).json["innovations"] == "Kept"


def test_outcomes_met_must_be_the_exchanges_own(client, bus, auth):
    bus.exchange(1, outcomes=["Understand open access"])
    response = put(client, auth(host=[1]), outcomes_met=["Something else"])
    assert response.status_code == 422
    assert "outcomes_met.0" in response.json["error"]["fields"]


def test_malformed_bodies_are_400_and_unknown_fields_422(client, bus, auth):
    bus.exchange(1)
    host = auth(host=[1])
    assert client.put("/learning/api/exchanges/1/summary", data="{not json", headers={
        **host, "Content-Type": "application/json"}).status_code == 400
    assert put(client, host, colour="blue").status_code == 422


def test_submitting_emits_and_returning_tells_the_host_with_the_comment(client, bus, auth, runtime):
    import json

    from sqlalchemy import select

    from services.learning.models import Outbox

    bus.exchange(1, hosts=["host@example.org"])
    host, lead = auth(host=[1]), auth(staff_id=2, theme_lead=["T1"])
    put(client, host)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    client.post("/learning/api/exchanges/1/summary/return", json={"comment": "More detail"}, headers=lead)
    with runtime.session() as session:
        events = [json.loads(row.envelope) for row in session.scalars(select(Outbox).order_by(Outbox.id))]
    assert [e["type"] for e in events] == ["learning.summary.submitted", "learning.summary.returned"]
    returned = events[1]["data"]
    assert (returned["exchange_id"], returned["theme"], returned["version"]) == (1, "T1", 1)
    assert returned.get("comment", "More detail") == "More detail"
    if "recipients" in returned:
        assert returned["recipients"] == ["host@example.org"]


def _outbox_data(runtime, event_type):
    import json

    from sqlalchemy import select

    from services.learning.models import Outbox

    with runtime.session() as session:
        return [json.loads(row.envelope)["data"] for row in session.scalars(
            select(Outbox).where(Outbox.type == event_type).order_by(Outbox.id))]


def test_approval_events_carry_the_comment_only_when_the_lead_wrote_one(client, bus, auth, runtime):
    bus.exchange(1, hosts=["host@example.org"])
    host, lead = auth(host=[1]), auth(staff_id=2, theme_lead=["T1"])
    for comment in ("", "Lovely work"):
        put(client, host, key_insights=[f"Insight {comment}"])
        client.post("/learning/api/exchanges/1/summary/submit", headers=host)
        assert client.post("/learning/api/exchanges/1/summary/approve", json={"comment": comment},
                           headers=lead).status_code == 200
    without, with_comment = _outbox_data(runtime, "learning.summary.approved")
    assert without == {"exchange_id": 1, "theme": "T1", "version": 1, "title": "Exchange 1", "language": "en",
                       "url": "/learning/exchanges/1/summary", "recipients": ["host@example.org"]}
    assert with_comment == {**without, "version": 2, "comment": "Lovely work"}


def test_a_summary_event_with_a_field_its_schema_does_not_declare_is_refused_not_trimmed(bus, runtime):
    import pytest

    from services.learning.models import Exchange, Summary
    from services.learning.operations import summaries as operations
    from shared.events import SUMMARY_SUBMITTED, InvalidEvent

    bus.exchange(1)
    with runtime.session() as session:
        summary = Summary(exchange_id=1, status="draft", latest_version=1, publish=False)
        with pytest.raises(InvalidEvent, match="colour"):
            operations._emit(session, SUMMARY_SUBMITTED, session.get(Exchange, 1), summary, colour="blue")


def test_an_empty_summary_cannot_be_submitted(client, bus, auth):
    bus.exchange(1, theme="T1")
    host = auth(host=[1])
    empty = {"key_insights": [], "innovations": " ", "challenges": "", "transferable_ideas": "",
             "outcomes_met": [], "contributors": ["Someone"]}
    assert client.put("/learning/api/exchanges/1/summary", json=empty, headers=host).status_code == 200
    refused = client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    assert refused.status_code == 409 and refused.json["error"]["code"] == "summary_empty"
    assert client.get("/learning/api/exchanges/1/summary", headers=host).json["status"] == "draft"
    put(client, host, key_insights=["One thing learnt"])
    assert client.post("/learning/api/exchanges/1/summary/submit", headers=host).status_code == 200
