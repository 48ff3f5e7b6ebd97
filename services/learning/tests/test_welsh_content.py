"""Packs in Welsh use what the programme team wrote in Welsh: the theme's title and aim, each
exchange's title, site, town and anticipated outcomes (CONTRACT.md "Content in Welsh and English")."""

from __future__ import annotations

import re
from datetime import timedelta

from services.learning.packs import render
from services.learning.packs.context import gather
from shared import factories

from .conftest import START
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
