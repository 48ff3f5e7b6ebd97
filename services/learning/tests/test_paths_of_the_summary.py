"""The paths issue 16 found built in name only: feedback comments reach the hosts, the theme leads
and the pack (never below the figures' threshold, never with names); participants read their
exchange's summary and sign it; hosts mark reflections folded in. Each through the page its person uses."""

from __future__ import annotations

from sqlalchemy import select

from services.learning.models import Audit, Feedback, Reflection
from services.learning.packs.context import gather, input_hash
from services.learning.tests.conftest import FULL
from services.learning.tests.test_packs import approve, download, pdf_text


def _attended(bus, people, exchange_id=1):
    for application_id in people:
        bus.booking(application_id, exchange_id)
        bus.attended(application_id, exchange_id)


def _feedback_page(client, application_id, comment, exchange_id=1, rating="4"):
    """A participant sends feedback from their learning page, as they would."""
    response = client.post(f"/learning/manage/token-{application_id}", data={
        "kind": "feedback", "about": f"exchange:{exchange_id}", "would_recommend": "yes", "rating": rating,
        "comment": comment})
    assert response.status_code == 302, response.data
    return response


def _comment_ids(runtime):
    with runtime.session() as session:
        return {row.comment: row.id for row in session.scalars(select(Feedback))}


def test_a_host_sees_their_exchanges_comments_only_once_it_has_as_many_responses_as_the_figures_need(
        client, bus, auth):
    bus.exchange(1, title="Open access in practice")
    _attended(bus, range(1, 6))
    for n in range(1, 5):
        _feedback_page(client, n, f"Comment number {n} on the day")
    host = auth(host=[1])
    page = client.get("/learning/exchanges/1/summary", headers=host).data.decode()
    assert "What participants said" in page and "Comment number 1" not in page
    assert "at least 5 feedback responses" in page
    _feedback_page(client, 5, "")  # a fifth response, without a comment, is enough
    page = client.get("/learning/exchanges/1/summary", headers=host).data.decode()
    assert all(f"Comment number {n} on the day" in page for n in range(1, 5))
    # reviewers read comments on the theme's page, not beside the summary they review
    lead_view = client.get("/learning/exchanges/1/summary", headers=auth(staff_id=2, theme_lead=["T1"])).data
    assert b"Comment number 1" not in lead_view


def test_a_theme_lead_picks_quotes_and_the_pack_quotes_them_without_names(client, bus, auth, worker, runtime):
    bus.exchange(1, title="Open access in practice")
    approve(client, auth, 1)
    _attended(bus, range(1, 6))
    for n in range(1, 6):
        _feedback_page(client, n, f"Quote {n}: the walk-in clinic changed how I work")
    lead = auth(staff_id=2, theme_lead=["T1"])
    theme_page = client.get("/learning/themes/T1", headers=lead).data.decode()
    assert "Use in the pack" in theme_page and "Quote 3: the walk-in clinic" in theme_page
    with runtime.session() as session:
        before = input_hash(gather(session, "T1", "en"))
    ids = _comment_ids(runtime)
    picked = [ids["Quote 2: the walk-in clinic changed how I work"], ids["Quote 4: the walk-in clinic changed how I work"]]
    saved = client.post("/learning/themes/T1/quotes", headers=lead, data={"quote": [str(i) for i in picked]})
    assert saved.status_code == 302
    after_page = client.get(saved.headers["Location"], headers=lead).data.decode()
    assert "Your choice of quotes is saved" in after_page
    assert after_page.count("checked") == 2
    with runtime.session() as session:
        context = gather(session, "T1", "en")
        assert input_hash(context) != before  # a fresh pack is made
        assert [q["text"] for q in context["themes"][0]["quotes"]] == [
            "Quote 2: the walk-in clinic changed how I work", "Quote 4: the walk-in clinic changed how I work"]
        [entry] = session.scalars(select(Audit).where(Audit.action == "quotes.picked")).all()
        assert entry.after == {"quotes": sorted(picked)}
    worker()
    text = " ".join(pdf_text(download(client, lead).data).split())
    assert "Quote 2: the walk-in clinic changed how I work" in text and "Quote 1:" not in text
    assert "In their own words" in text
    assert client.get("/learning/api/themes/T1/pack.pdf?lang=cy", headers=lead).status_code == 202
    worker()
    welsh = " ".join(pdf_text(client.get("/learning/api/themes/T1/pack.pdf?lang=cy", headers=lead).data).split())
    assert "Yn eu geiriau eu hunain" in welsh and "Quote 2: the walk-in clinic" in welsh


def test_a_comment_held_back_cannot_be_picked_and_a_rewritten_comment_is_picked_no_longer(client, bus, auth, runtime):
    bus.exchange(1)
    bus.exchange(2)
    _attended(bus, range(1, 6))
    _attended(bus, [6], exchange_id=2)
    for n in range(1, 6):
        _feedback_page(client, n, f"Said {n}")
    _feedback_page(client, 6, "Only one person said this", exchange_id=2)
    lead = auth(staff_id=2, theme_lead=["T1"])
    page = client.get("/learning/themes/T1", headers=lead).data.decode()
    assert "Only one person said this" not in page and "at least 5 feedback responses" in page
    ids = _comment_ids(runtime)
    refused = client.post("/learning/themes/T1/quotes", headers=lead, data={"quote": [str(ids["Only one person said this"])]})
    assert refused.status_code == 422 and "There is a problem" in refused.data.decode()
    assert client.post("/learning/themes/T1/quotes", headers=lead, data={"quote": [str(ids["Said 1"])]}).status_code == 302
    _feedback_page(client, 1, "Said 1, put better")
    with runtime.session() as session:
        assert session.get(Feedback, ids["Said 1"]).in_pack is False
    assert client.post("/learning/themes/T1/quotes", headers=auth(staff_id=3, theme_lead=["T2"])).status_code == 403
    assert client.post("/learning/themes/T1/quotes", headers=auth(host=[1])).status_code == 403


def test_a_participant_reads_the_draft_and_the_approved_summary_and_puts_their_name_to_it(
        client, bus, auth, worker, runtime):
    bus.exchange(1, title="Open access in practice")
    bus.booking(1, 1)
    bus.booking(2, 2)
    bus.exchange(2)
    manage = client.get("/learning/manage/token-1").data.decode()
    assert "/learning/manage/token-1/exchanges/1/summary" in manage
    empty = client.get("/learning/manage/token-1/exchanges/1/summary").data.decode()
    assert "The host has not written the summary yet" in empty and "Add my name to this summary" not in empty
    approve(client, auth, 1, innovations="Approved walk-in sessions")
    client.put("/learning/api/exchanges/1/summary", json={**FULL, "innovations": "Draft: evening sessions too"},
               headers=auth(host=[1]))
    page = client.get("/learning/manage/token-1/exchanges/1/summary").data.decode()
    assert "Approved walk-in sessions" in page and "Draft: evening sessions too" in page
    assert "The approved summary" in page and "A newer draft" in page
    blank = client.post("/learning/manage/token-1/exchanges/1/summary", data={"name": "  "})
    assert blank.status_code == 422 and "Enter your name as you wish it shown." in blank.data.decode()
    signed = client.post("/learning/manage/token-1/exchanges/1/summary", data={"name": "Sam  Example"})
    assert signed.status_code == 302
    assert "Your name is on the summary." in client.get(signed.headers["Location"]).data.decode()
    host_page = client.get("/learning/exchanges/1/summary", headers=auth(host=[1])).data.decode()
    assert "Participants who signed it" in host_page and "Sam Example" in host_page
    with runtime.session() as session:
        [exchange] = gather(session, "T1", "en")["themes"][0]["exchanges"]
        assert "Sam Example" in exchange["contributors"]
    worker()
    assert "Sam Example" in pdf_text(download(client, auth(staff_id=2, theme_lead=["T1"])).data)
    # someone not on the exchange cannot read or sign it
    assert client.get("/learning/manage/token-2/exchanges/1/summary").status_code == 404
    assert client.post("/learning/manage/token-2/exchanges/1/summary", data={"name": "X"}).status_code == 404
    removed = client.post("/learning/manage/token-1/exchanges/1/summary", data={"action": "remove"})
    assert removed.status_code == 302
    assert "Sam Example" not in client.get("/learning/exchanges/1/summary", headers=auth(host=[1])).data.decode()


def test_the_host_marks_a_reflection_folded_in_and_its_writer_sees_it(client, bus, auth, runtime):
    bus.exchange(1)
    bus.booking(1, 1)
    assert client.post("/learning/manage/token-1", data={
        "kind": "reflection", "exchange_id": "1", "text": "Ask first, then listen", "credit_as": ""}).status_code == 302
    host = auth(host=[1])
    form = client.get("/learning/exchanges/1/summary/edit", headers=host).data.decode()
    assert "Mark as folded in" in form
    done = client.post("/learning/exchanges/1/reflections/1/folded", headers=host, data={"folded": "yes", "back": "edit"})
    assert done.status_code == 302 and "/summary/edit" in done.headers["Location"]
    with runtime.session() as session:
        assert session.get(Reflection, (1, 1)).folded_in is True
        assert session.scalar(select(Audit.action).where(Audit.action == "reflection.folded_in"))
    assert "Folded in" in client.get("/learning/exchanges/1/summary", headers=host).data.decode()
    client.put("/learning/api/exchanges/1/summary", json=FULL, headers=host)
    mine = client.get("/learning/manage/token-1/exchanges/1/summary").data.decode()
    assert "The host has folded your reflection into the summary." in mine
    assert client.post("/learning/exchanges/1/reflections/9/folded", headers=host).status_code == 404
    assert client.post("/learning/exchanges/1/reflections/1/folded",
                       headers=auth(staff_id=2, theme_lead=["T1"])).status_code == 403
