"""Feedback and reflections through the manage link, the figures made of them, and the library."""

from services.learning.tests.conftest import FULL


def feedback(client, token="token-1", about="exchange:1", **changes):
    return client.post("/learning/api/feedback", json={
        "manage_token": token, "about": about, "would_recommend": True, "rating": 5, "comment": "", **changes})


def test_feedback_from_someone_who_attended_is_recorded_and_a_second_replaces_the_first(client, bus, admin):
    bus.exchange(1)
    bus.booking(1, 1)
    bus.attended(1, 1)
    assert feedback(client, rating=2, would_recommend=False).status_code == 201
    again = feedback(client, rating=4, comment="Better on reflection")
    assert again.status_code == 200 and again.json["replaced"] is True
    summary = client.get("/learning/api/feedback/summary", headers=admin).json
    exchange = summary["exchanges"][0]
    assert (exchange["responses"], exchange["attendees"], exchange["would_recommend_pct"]) == (1, 1, 100)
    assert exchange["ratings"]["4"] == 1 and exchange["ratings"]["2"] == 0


def test_feedback_from_a_token_that_did_not_attend_is_refused(client, bus):
    bus.exchange(1)
    bus.booking(1, 1)
    bus.attended(1, 1, attended=False)
    refused = feedback(client)
    assert refused.status_code == 403 and refused.json["error"]["code"] == "not_attended"
    assert feedback(client, about="conference").status_code == 403
    assert feedback(client, token="no-such-token").status_code == 404


def test_a_rating_out_of_range_or_a_bad_about_is_422(client, bus):
    bus.exchange(1)
    bus.booking(1, 1)
    bus.attended(1, 1)
    for rating in (0, 6, "5", 4.5, None):
        response = feedback(client, rating=rating)
        assert response.status_code == 422 and "rating" in response.json["error"]["fields"]
    assert "about" in feedback(client, about="exchange:one").json["error"]["fields"]
    assert "comment" in feedback(client, comment="x" * 2001).json["error"]["fields"]


def test_response_rates_are_given_per_exchange_theme_overall_and_conference(client, bus, auth, admin):
    bus.exchange(1, theme="T1")
    bus.exchange(2, theme="T2")
    for application_id in range(1, 5):
        bus.booking(application_id, 1)
        bus.attended(application_id, 1)
    bus.booking(5, 2)
    bus.attended(5, 2)
    feedback(client, token="token-1")
    feedback(client, token="token-2", would_recommend=False)
    feedback(client, token="token-5", about="exchange:2")
    feedback(client, token="token-1", about="conference")
    summary = client.get("/learning/api/feedback/summary", headers=admin).json
    assert summary["overall"] | {"ratings": None} == {
        "responses": 3, "attendees": 5, "response_rate": 60, "would_recommend_pct": 67, "average_rating": 5.0,
        "ratings": None}
    assert [(t["theme"], t["responses"], t["attendees"]) for t in summary["themes"]] == [("T1", 2, 4), ("T2", 1, 1)]
    assert (summary["conference"]["responses"], summary["conference"]["attendees"]) == (1, 5)
    lead = client.get("/learning/api/feedback/summary", headers=auth(theme_lead=["T2"])).json
    assert [x["exchange_id"] for x in lead["exchanges"]] == [2]
    assert client.get("/learning/api/feedback/summary", headers=auth(host=[1])).status_code == 403


def test_a_participant_adds_a_reflection_that_the_host_sees(client, bus, auth):
    bus.exchange(1)
    bus.booking(1, 1)
    response = client.put("/learning/api/reflections", json={
        "manage_token": "token-1", "exchange_id": 1, "text": "<i>I learnt</i> to ask first", "credit_as": "A. Example"})
    assert response.status_code == 200
    page = client.get("/learning/exchanges/1/summary/edit", headers=auth(host=[1]))
    assert b"&lt;i&gt;I learnt&lt;/i&gt; to ask first" in page.data
    assert client.put("/learning/api/reflections", json={
        "manage_token": "token-1", "exchange_id": 2, "text": "Not mine"}).status_code == 403


def test_reflections_are_for_the_hosts_only_a_theme_lead_reviewing_the_summary_never_sees_them(client, bus, auth):
    bus.exchange(1, theme="T1")
    bus.booking(1, 1)
    assert client.put("/learning/api/reflections", json={
        "manage_token": "token-1", "exchange_id": 1, "text": "What my own recovery taught me",
        "credit_as": "A. Example"}).status_code == 200
    host, lead, lead_hosting_another = auth(host=[1]), auth(theme_lead=["T1"]), auth(theme_lead=["T1"], host=[2])
    assert client.put("/learning/api/exchanges/1/summary", headers=host, json={
        "key_insights": ["What the host made of it"], "outcomes_met": [], "contributors": []}).status_code == 200
    assert client.post("/learning/api/exchanges/1/summary/submit", headers=host).status_code == 200
    assert b"What my own recovery taught me" in client.get("/learning/exchanges/1/summary", headers=host).data
    for reviewer in (lead, lead_hosting_another):
        seen = [client.get("/learning/exchanges/1/summary", headers=reviewer),
                client.post("/learning/exchanges/1/summary/return", headers=reviewer, data={"comment": ""}),
                client.get("/learning/api/exchanges/1/summary", headers=reviewer),
                client.get("/learning/api/exchanges/1/summary/history", headers=reviewer)]
        assert seen[0].status_code == 200 and b"What the host made of it" in seen[0].data
        assert seen[1].status_code == 422, "the refused return shows the summary page again"
        for response in seen:
            assert b"What my own recovery taught me" not in response.data and b"A. Example" not in response.data


def test_the_manage_page_shows_the_forms_and_reports_errors_beside_the_fields(client, bus):
    bus.exchange(1, title="Open access in practice")
    bus.booking(1, 1)
    bus.attended(1, 1)
    page = client.get("/learning/manage/token-1")
    assert page.status_code == 200 and b"Open access in practice" in page.data
    bad = client.post("/learning/manage/token-1", data={"kind": "feedback", "about": "exchange:1", "rating": "9"})
    assert bad.status_code == 422
    assert b"There is a problem" in bad.data and b"<title>Error:" in bad.data
    good = client.post("/learning/manage/token-1", data={"kind": "feedback", "about": "exchange:1", "rating": "4",
                                                         "would_recommend": "yes"})
    assert good.status_code == 302
    assert client.get("/learning/manage/unknown-token").status_code == 404


def test_the_library_shows_approved_published_summaries_only(client, bus, auth):
    bus.exchange(1, theme="T1", title="Published exchange")
    bus.exchange(2, theme="T2", title="Private exchange")
    lead = auth(staff_id=2, admin=[])
    for exchange_id, publish in ((1, True), (2, False)):
        host = auth(host=[exchange_id])
        client.put(f"/learning/api/exchanges/{exchange_id}/summary", json={**FULL, "publish": publish,
                   "key_insights": ["Approved insight"]}, headers=host)
        client.post(f"/learning/api/exchanges/{exchange_id}/summary/submit", headers=host)
        client.post(f"/learning/api/exchanges/{exchange_id}/summary/approve", json={}, headers=lead)
    client.put("/learning/api/exchanges/1/summary", json={**FULL, "publish": True,
               "key_insights": ["Draft insight"]}, headers=auth(host=[1]))
    found = client.get("/learning/api/library?q=approved").json
    assert [(r["title"], r["key_insights"]) for r in found] == [("Published exchange", ["Approved insight"])]
    assert client.get("/learning/api/library?q=draft").json == []
    assert client.get("/learning/api/library?theme=T2").json == []
    page = client.get("/learning/library/?q=approved")
    assert b"Published exchange" in page.data and b"Private exchange" not in page.data
    assert client.get("/learning/library/2").status_code == 404


def test_impact_counts_attended_stages_against_the_target(client, bus, admin):
    bus.exchange(1, theme="T1")
    bus.booking(1, 1, participant_type="experience", group="lived experience")
    for stage in ("orientation", "exchange", "reflection"):
        bus.attended(1, 1, stage=stage)
    bus.attended(1, 1, stage="reflection", attended=False)
    client.put("/learning/api/settings", json={"impact_target": 4, "conference_attendees": None}, headers=admin)
    impact = client.get("/learning/api/impact", headers=admin).json
    assert (impact["experiences"], impact["target"], impact["progress_pct"]) == (2, 4, 50)
    assert impact["by_sector"] == {"lived experience": 2}
    assert client.put("/learning/api/settings", json={"impact_target": -1}, headers=admin).status_code == 422


def test_an_older_event_does_not_overwrite_a_newer_projection(runtime, bus):
    from services.learning.handlers import project_attendance
    from services.learning.models import Attendance
    from shared.bus import dumps
    from shared.events import make_envelope, parse

    data = {"exchange_id": 1, "application_id": 1, "email": "a@example.org", "stage": "exchange"}
    newer, _ = parse(dumps(make_envelope("registration", "registration.attendance.recorded", {**data, "attended": True})))
    older = {**newer, "time": "2000-01-01T00:00:00+00:00"}
    with runtime.session() as session, session.begin():
        project_attendance(session, newer, {**data, "attended": True})
        project_attendance(session, older, {**data, "attended": False})
    with runtime.session() as session:
        assert session.get(Attendance, (1, 1, "exchange")).attended is True


def test_the_demo_loads_into_an_empty_database_only(runtime, embedded_settings):
    from sqlalchemy import func, select

    from services.learning.demo import load_demo
    from services.learning.models import Summary

    for _ in range(2):
        with runtime.session() as session, session.begin():
            load_demo(session, embedded_settings)
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Summary)) == 6


def test_a_replaced_link_opens_learning_and_the_old_one_nothing_even_if_an_older_booking_event_comes_later(
        client, bus):
    from shared import factories
    from shared.bus import dumps
    from shared.events import make_envelope, parse

    late = make_envelope("registration", "registration.booking.confirmed", factories.booking(1, 1, token="old-token"))
    bus.exchange(1)
    bus.booking(1, 1, token="old-token")
    bus.deliver("registration.application.link_replaced", factories.link_replaced(1, "new-token"))
    late["time"] = "2000-01-01T00:00:00+00:00"  # raised before the replacement, delivered after it
    bus.deliver("registration.booking.confirmed", late["data"], envelope=parse(dumps(late))[0])
    assert client.get("/learning/manage/old-token").status_code == 404
    assert client.get("/learning/manage/new-token").status_code == 200
