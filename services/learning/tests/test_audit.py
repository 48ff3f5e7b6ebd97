"""Learning's audit log: summary decisions and the programme's settings, each an entry, through the API."""

from __future__ import annotations

from .test_summaries import put


def test_summary_decisions_and_settings_are_written(client, bus, auth):
    bus.exchange(1, theme="T1")
    host, lead, admin = auth(host=[1]), auth(staff_id=2, theme_lead=["T1"]), auth(staff_id=3, admin=[])
    put(client, host)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    client.post("/learning/api/exchanges/1/summary/return", json={"comment": "More"}, headers=lead)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=lead)
    client.put("/learning/api/settings", json={"impact_target": 4, "conference_attendees": 120}, headers=admin)

    entries = client.get("/learning/api/audit", headers=admin).json
    assert [(e["action"], e["actor"]["id"]) for e in entries] == [
        ("settings.changed", 3), ("summary.approved", 2), ("summary.submitted", 1), ("summary.returned", 2),
        ("summary.submitted", 1)]
    assert entries[1]["subject"] == {"kind": "summary", "id": "1"}
    assert (entries[1]["before"], entries[1]["after"]) == ({"status": "submitted"}, {"status": "approved"})
    assert entries[0]["after"] == {"impact_target": 4, "conference_attendees": 120}
    assert client.get("/learning/api/audit", headers=lead).status_code == 403
