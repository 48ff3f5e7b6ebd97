"""Packs in Welsh use what the programme team wrote in Welsh: the theme's title and aim, each
exchange's title, site, town and anticipated outcomes (CONTRACT.md "Content in Welsh and English")."""

from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from services.learning.models import Feedback
from services.learning.packs import render
from services.learning.packs.context import gather
from shared import factories

from .conftest import FULL, START
from .test_packs import approve

OUTCOMES = ["See open access at work", "Take one idea home"]
OUTCOMES_CY = ["Gweld mynediad agored ar waith", "Mynd ag un syniad adref"]


def _welsh_exchange(bus) -> None:
    bus.deliver("registration.exchange.published", factories.exchange_published(
        1, START + timedelta(days=1), title="Open access in practice", title_cy="Mynediad agored yn ymarferol",
        location={"site": "Example Hospital", "site_cy": "Ysbyty Enghreifftiol", "town": "Swansea"},
        learning_outcomes=OUTCOMES, learning_outcomes_cy=OUTCOMES_CY, booking_closes_at=START - timedelta(days=10)))


def test_the_programme_team_writes_the_themes_title_and_aim_in_welsh_beside_the_english(client, bus, auth):
    bus.exchange(1)
    admin = auth(admin=[])
    page = client.get("/learning/themes/T1", headers=admin).get_data(as_text=True)
    about = page[page.index("About this theme"):]  # the synthesis above has its own Welsh beside the English
    assert about.count('class="kx-bilingual"') == 2 and 'name="title_cy"' in about and 'lang="cy"' in about
    saved = client.post("/learning/themes/T1", headers=admin, data={
        "title": "Transforming care", "title_cy": "Trawsnewid gofal", "aim": "To agree three changes",
        "aim_cy": "Cytuno ar dri newid", "notify_emails": ""})
    assert saved.status_code == 302
    page = client.get("/learning/themes/T1", headers=admin).get_data(as_text=True)
    assert 'value="Trawsnewid gofal"' in page and "Cytuno ar dri newid" in page


def test_a_welsh_pack_uses_the_welsh_titles_site_town_and_outcomes_and_marks_the_met_ones(
        runtime, client, bus, auth):
    _welsh_exchange(bus)
    client.post("/learning/themes/T1", headers=auth(admin=[]), data={
        "title": "Transforming care", "title_cy": "Trawsnewid gofal", "aim": "To agree three changes",
        "aim_cy": "Cytuno ar dri newid", "notify_emails": ""})
    approve(client, auth, 1, outcomes_met=[OUTCOMES[1]])
    with runtime.session() as session:
        welsh, english = (render.render_html(gather(session, "T1", language)) for language in ("cy", "en"))
    for text in ("Trawsnewid gofal", "Cytuno ar dri newid", "Mynediad agored yn ymarferol", "Ysbyty Enghreifftiol",
                 "Abertawe", *OUTCOMES_CY):
        assert text in welsh, text
    for text in ("Transforming care", "To agree three changes", "Open access in practice", "Swansea", *OUTCOMES):
        assert text not in welsh, text
        assert text in english, text
    assert re.search(r"<strong>[^<]+</strong> Mynd ag un syniad adref", welsh), "the met one is marked in Welsh too"
    assert not re.search(r"<strong>[^<]+</strong> Gweld mynediad agored", welsh)


WELSH_SUMMARY = {**FULL, "key_insights": ["Mae mynediad agored yn gweithio"], "innovations": "Sesiynau galw heibio"}


def _submit_and_approve(client, auth, headers_host):
    client.post("/learning/api/exchanges/1/summary/submit?lang=en", headers=headers_host)
    assert client.post("/learning/api/exchanges/1/summary/approve?lang=en", json={},
                       headers=auth(staff_id=2, theme_lead=["T1"])).json["status"] == "approved"


def test_a_summary_written_in_welsh_is_marked_welsh_on_english_pages_and_packs_and_an_english_one_english_on_welsh(
        runtime, client, bus, auth):
    bus.exchange(1)
    bus.booking(1, 1)
    host = auth(host=[1])
    saved = client.put("/learning/api/exchanges/1/summary?lang=cy", json=WELSH_SUMMARY, headers=host)
    assert saved.json["language"] == "cy"
    english = client.get("/learning/exchanges/1/summary?lang=en", headers=host).data.decode()
    assert '<li lang="cy">Mae mynediad agored yn gweithio</li>' in english
    assert '<span lang="cy">Sesiynau galw heibio</span>' in english
    welsh = client.get("/learning/exchanges/1/summary?lang=cy", headers=host).data.decode()
    assert "<li>Mae mynediad agored yn gweithio</li>" in welsh and 'lang="cy">Sesiynau' not in welsh
    participant = client.get("/learning/manage/token-1/exchanges/1/summary?lang=en").data.decode()
    assert '<li lang="cy">Mae mynediad agored yn gweithio</li>' in participant
    _submit_and_approve(client, auth, host)
    with runtime.session() as session:
        pack_en, pack_cy = (render.render_html(gather(session, "T1", language)) for language in ("en", "cy"))
    assert '<li lang="cy">Mae mynediad agored yn gweithio</li>' in pack_en and '<p lang="cy">Sesiynau' in pack_en
    assert "<li>Mae mynediad agored yn gweithio</li>" in pack_cy and 'lang="cy">Sesiynau' not in pack_cy

    # the host writes the next version on an English page: the Welsh pages and pack mark it English
    assert client.put("/learning/api/exchanges/1/summary?lang=en", json=FULL, headers=host).json["language"] == "en"
    welsh = client.get("/learning/exchanges/1/summary?lang=cy", headers=host).data.decode()
    assert '<li lang="en">Open access works</li>' in welsh and '<span lang="en">Walk-in sessions</span>' in welsh
    _submit_and_approve(client, auth, host)
    with runtime.session() as session:
        pack_cy = render.render_html(gather(session, "T1", "cy"))
    assert '<li lang="en">Open access works</li>' in pack_cy


def test_a_reflection_and_a_comment_written_in_welsh_are_marked_welsh_where_the_host_and_the_pack_show_them(
        runtime, client, bus, auth):
    bus.exchange(1)
    for application_id in range(1, 6):
        bus.booking(application_id, 1)
        bus.attended(application_id, 1)
    reflected = client.post("/learning/manage/token-1?lang=cy", data={
        "kind": "reflection", "exchange_id": "1", "text": "Dysgais ofyn yn gyntaf", "credit_as": ""})
    assert reflected.status_code == 302
    for application_id in range(1, 6):
        welsh = application_id == 1
        client.post(f"/learning/manage/token-{application_id}?lang={'cy' if welsh else 'en'}", data={
            "kind": "feedback", "about": "exchange:1", "would_recommend": "yes", "rating": "5",
            "comment": "Roedd yn werth chweil" if welsh else f"Worth it, says {application_id}"})
    host = auth(host=[1])
    page = client.get("/learning/exchanges/1/summary?lang=en", headers=host).data.decode()
    assert 'id="reflection-1" lang="cy">Dysgais ofyn yn gyntaf' in page
    assert 'lang="cy">Roedd yn werth chweil' in page and 'lang="cy">Worth it' not in page
    welsh = client.get("/learning/exchanges/1/summary?lang=cy", headers=host).data.decode()
    assert 'lang="en">Worth it, says 2' in welsh and 'lang="cy">Roedd' not in welsh
    lead = auth(staff_id=2, theme_lead=["T1"])
    with runtime.session() as session:
        ids = {row.comment: row.id for row in session.scalars(select(Feedback))}
    client.post("/learning/themes/T1/quotes?lang=en", headers=lead, data={"quote": [str(ids["Roedd yn werth chweil"])]})
    approve(client, auth, 1)
    with runtime.session() as session:
        pack_en = render.render_html(gather(session, "T1", "en"))
    assert '<p lang="cy">“Roedd yn werth chweil”</p>' in pack_en


def test_a_participants_and_a_hosts_learning_pages_in_welsh_name_the_exchange_and_theme_by_their_welsh_titles(
        client, bus, auth):
    _welsh_exchange(bus)
    bus.exchange(2, title="Only in English")
    for exchange_id in (1, 2):
        bus.booking(1, exchange_id)
        bus.attended(1, exchange_id)
    admin = auth(admin=[])
    client.post("/learning/themes/T1?lang=en", headers=admin, data={
        "title": "Transforming care", "title_cy": "Trawsnewid gofal", "aim": "To agree three changes",
        "aim_cy": "Cytuno ar dri newid", "notify_emails": ""})
    manage = client.get("/learning/manage/token-1?lang=cy").data.decode()
    assert "Mynediad agored yn ymarferol" in manage and "Open access in practice" not in manage
    assert '<span lang="en">Only in English</span>' in manage
    summary = client.get("/learning/manage/token-1/exchanges/1/summary?lang=cy").data.decode()
    assert "Mynediad agored yn ymarferol" in summary and "Open access in practice" not in summary
    host = client.get("/learning/exchanges/1/summary?lang=cy", headers=auth(host=[1])).data.decode()
    assert "Mynediad agored yn ymarferol" in host and "Open access in practice" not in host
    theme = client.get("/learning/themes/T1?lang=cy", headers=admin).data.decode()
    assert '<h1 class="kx-heading-xl">Trawsnewid gofal</h1>' in theme
    feedback = client.get("/learning/feedback?lang=cy", headers=admin).data.decode()
    assert "Mynediad agored yn ymarferol" in feedback
    english = client.get("/learning/manage/token-1?lang=en").data.decode()
    assert "Open access in practice" in english and "Mynediad agored" not in english


def test_the_hosts_summary_form_reads_back_welsh_text_marked_welsh_and_offers_the_outcomes_in_welsh(client, bus, auth):
    _welsh_exchange(bus)
    host = auth(host=[1])
    client.put("/learning/api/exchanges/1/summary?lang=cy", json=WELSH_SUMMARY, headers=host)
    english = client.get("/learning/exchanges/1/summary/edit?lang=en", headers=host).data.decode()
    assert re.search(r'name="innovations" rows="6" lang="cy"', english)
    assert re.search(r'<label for="outcomes_met">See open access at work</label>', english)
    welsh = client.get("/learning/exchanges/1/summary/edit?lang=cy", headers=host).data.decode()
    assert 'lang="cy"' not in re.search(r'<textarea[^>]*name="innovations"[^>]*>', welsh).group(0)
    assert '<label for="outcomes_met">Gweld mynediad agored ar waith</label>' in welsh
    assert 'value="See open access at work"' in welsh, "the host still ticks the outcome the pack matches"
