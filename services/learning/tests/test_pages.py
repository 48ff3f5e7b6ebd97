"""The pages hosts, theme leads and the programme team use."""

from services.learning.tests.conftest import FULL


def test_a_host_edits_and_submits_through_the_pages(client, bus, auth):
    bus.exchange(1, title="Open access in practice", outcomes=["Understand open access"])
    host = auth(host=[1])
    form = client.get("/learning/exchanges/1/summary/edit", headers=host)
    assert form.status_code == 200 and b"Understand open access" in form.data and b"(optional)" in form.data
    saved = client.post("/learning/exchanges/1/summary/edit", headers=host, data={
        "key_insights": "One\nTwo\n", "innovations": "New", "outcomes_met": ["Understand open access"]})
    assert saved.status_code == 302
    assert client.post("/learning/exchanges/1/summary/submit", headers=host).status_code == 302
    page = client.get("/learning/exchanges/1/summary", headers=host)
    assert b"Waiting for approval" in page.data


def test_an_oversized_field_in_the_form_keeps_what_was_typed_and_says_the_limit(client, bus, auth):
    bus.exchange(1)
    response = client.post("/learning/exchanges/1/summary/edit", headers=auth(host=[1]), data={
        "innovations": "x" * 5001, "challenges": "Kept text"})
    assert response.status_code == 422
    assert b"There is a problem" in response.data and b"Kept text" in response.data
    assert b"Up to 5000 characters" in response.data


def test_a_lead_returns_from_the_page_and_a_returned_one_shows_the_comment(client, bus, auth):
    bus.exchange(1)
    host, lead = auth(host=[1]), auth(staff_id=2, theme_lead=["T1"])
    client.put("/learning/api/exchanges/1/summary", json=FULL, headers=host)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    empty = client.post("/learning/exchanges/1/summary/return", headers=lead, data={"comment": ""})
    assert empty.status_code == 422 and b"There is a problem" in empty.data
    client.post("/learning/exchanges/1/summary/return", headers=lead, data={"comment": "Add <em>detail</em>"})
    page = client.get("/learning/exchanges/1/summary", headers=host)
    assert b"Add &lt;em&gt;detail&lt;/em&gt;" in page.data
    refused = client.post("/learning/exchanges/1/summary/approve", headers=lead)
    assert refused.status_code == 409


def test_each_role_sees_its_own_list(client, bus, auth, admin):
    bus.exchange(1, theme="T1", title="Theme one visit")
    bus.exchange(2, theme="T2", title="Theme two visit")
    assert b"Theme two visit" not in client.get("/learning/", headers=auth(host=[1])).data
    lead_page = client.get("/learning/", headers=auth(theme_lead=["T2"])).data
    assert b"Theme two visit" in lead_page and b"Theme one visit" not in lead_page
    everything = client.get("/learning/", headers=admin).data
    assert b"Theme one visit" in everything and b"Theme two visit" in everything
    assert client.get("/learning/programme", headers=admin).status_code == 200
    assert client.get("/learning/programme", headers=auth(theme_lead=["T1"])).status_code == 403
    assert client.get("/learning/themes/T1", headers=auth(theme_lead=["T1"])).status_code == 200
    assert client.get("/learning/feedback", headers=auth(theme_lead=["T1"])).status_code == 200


def test_a_browser_asking_for_a_pack_first_gets_a_page_with_progress(client, bus, auth):
    bus.exchange(1)
    response = client.get("/learning/themes/T1/pack.pdf", headers=auth(theme_lead=["T1"]))
    assert response.status_code == 202
    assert b"being prepared" in response.data and b"Check again" in response.data


def _visible(html: bytes) -> str:
    import re
    return re.sub(r"<[^>]+>", " ", html.decode())


def test_submitting_an_empty_summary_from_the_page_says_why_in_words_not_field_names(client, bus, auth):
    bus.exchange(1, title="Open access in practice")
    host = auth(host=[1])
    assert client.post("/learning/exchanges/1/summary/edit", headers=host, data={"contributors": "Me"}).status_code == 302
    refused = client.post("/learning/exchanges/1/summary/submit", headers=host)
    text = _visible(refused.data)
    assert refused.status_code == 409 and "There is a problem" in text
    assert "Write at least one key insight before submitting it" in text
    for internal in ("key_insights", "_schema", "summary_empty", "comment:"):
        assert internal not in text.lower(), internal
    page = client.get("/learning/exchanges/1/summary", headers=host)
    assert b"Waiting for approval" not in page.data


def test_form_errors_name_each_field_by_its_label_never_its_internal_name(client, bus, auth):
    bus.exchange(1)
    response = client.post("/learning/exchanges/1/summary/edit", headers=auth(host=[1]), data={
        "key_insights": "x" * 2000, "innovations": "y" * 5001, "contributors": "z" * 1000})
    text = _visible(response.data)
    assert response.status_code == 422 and "There is a problem" in text
    for internal in ("key_insights", "transferable_ideas", "outcomes_met", "innovations:", "contributors:"):
        assert internal not in text, internal
