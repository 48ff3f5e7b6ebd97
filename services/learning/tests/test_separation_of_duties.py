"""Separation of duties in learning: whoever hosts an exchange does not approve or return its
summary, even as a lead of its theme or as the programme team; and no role implies another (the
programme team's `admin` is named beside hosts and leads where it may act, never implied)."""

from services.learning.tests.conftest import FULL


def submitted(client, bus, host):
    bus.exchange(1, theme="T1")
    client.put("/learning/api/exchanges/1/summary", json=FULL, headers=host)
    assert client.post("/learning/api/exchanges/1/summary/submit", headers=host).json["status"] == "submitted"


def test_a_lead_who_hosts_the_exchange_cannot_approve_or_return_its_summary(client, bus, auth):
    lead_host = auth(staff_id=3, host=[1], theme_lead=["T1"])
    submitted(client, bus, lead_host)
    for action, body in (("approve", {}), ("return", {"comment": "Say more"}), ("return", {})):
        refused = client.post(f"/learning/api/exchanges/1/summary/{action}", json=body, headers=lead_host)
        assert refused.status_code == 403, (action, refused.json)
        assert refused.json["error"]["code"] == "host_cannot_review"
        assert "You host this exchange" in refused.json["error"]["message"]
    assert client.get("/learning/api/exchanges/1/summary", headers=lead_host).json["status"] == "submitted"
    other_lead = auth(staff_id=4, theme_lead=["T1"])
    assert client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=other_lead).status_code == 200


def test_an_admin_who_hosts_the_exchange_cannot_approve_it_either(client, bus, auth):
    admin_host = auth(staff_id=5, admin=[], host=[1])
    submitted(client, bus, admin_host)
    refused = client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=admin_host)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "host_cannot_review"
    assert client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=auth(admin=[])).status_code == 200


def test_the_summary_page_says_why_and_refuses_the_review(client, bus, auth):
    lead_host = auth(staff_id=3, host=[1], theme_lead=["T1"])
    submitted(client, bus, lead_host)
    page = client.get("/learning/exchanges/1/summary", headers=lead_host).get_data(as_text=True)
    assert "so someone else must approve or return its summary" in page
    assert "Approve version" not in page
    refused = client.post("/learning/exchanges/1/summary/approve", headers=lead_host)
    assert refused.status_code == 403
    assert "There is a problem" in refused.get_data(as_text=True)
    welsh = client.post("/learning/exchanges/1/summary/return?lang=cy", headers=lead_host, data={"comment": "Mwy"})
    assert welsh.status_code == 403 and "rhaid i rywun arall gymeradwyo" in welsh.get_data(as_text=True)
    other_lead = auth(staff_id=4, theme_lead=["T1"])
    assert "Approve version" in client.get("/learning/exchanges/1/summary?lang=en", headers=other_lead).get_data(as_text=True)


def test_no_role_implies_another(client, bus, auth):
    bus.exchange(1, theme="T1")
    finance = auth(staff_id=6, finance=[])
    host_elsewhere = auth(staff_id=7, host=[2], finance=[])
    for headers in (finance, host_elsewhere):
        assert client.put("/learning/api/exchanges/1/summary", json=FULL, headers=headers).status_code == 403
        assert client.get("/learning/api/themes/T1/pack.pdf", headers=headers).status_code == 403
        assert client.get("/learning/api/feedback/summary", headers=headers).status_code == 403
    admin = auth(staff_id=8, admin=[])
    assert client.put("/learning/api/exchanges/1/summary", json=FULL, headers=admin).status_code == 200
    assert client.get("/learning/api/feedback/summary", headers=admin).status_code == 200
