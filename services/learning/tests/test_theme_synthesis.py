"""The theme lead's synthesis (issue 16, "Theme leads consolidate"): the lead writes the theme's key
messages, questions for the workshop and draft actions on the theme page, in English and Welsh; a
draft leaves the pack as it was, a published version is what the pack says in place of generic
questions, and the grouping of insights by a shared word is gone."""

from __future__ import annotations

from sqlalchemy import select

from services.learning.models import Audit
from services.learning.packs import render
from services.learning.packs.context import gather, input_hash
from services.learning.tests.test_packs import approve, download, pdf_text

NOT_WRITTEN = "The theme lead has not yet written the synthesis."
FORM = {
    "key_messages": "Open access cuts waiting times\nPeer workers keep people engaged",
    "key_messages_cy": "Mae mynediad agored yn lleihau amseroedd aros\nMae gweithwyr cymheiriaid yn cadw pobl",
    "workshop_questions": "What would open access need in your area?",
    "workshop_questions_cy": "",
    "actions": "Agree one referral form | Theme lead | March 2027\nVisit a peer-led service",
    "actions_cy": "Cytuno ar un ffurflen atgyfeirio\nYmweld â gwasanaeth dan arweiniad cymheiriaid",
}


def _lead(auth, theme="T1"):
    return auth(staff_id=2, theme_lead=[theme])


def _context(runtime, language="en"):
    with runtime.session() as session:
        return gather(session, "T1", language)


def _pack_html(runtime, language="en"):
    return render.render_html(_context(runtime, language))


def test_a_draft_synthesis_is_kept_with_its_version_and_leaves_the_pack_as_it_was(client, bus, auth, runtime):
    bus.exchange(1)
    approve(client, auth, 1)
    before = input_hash(_context(runtime))
    assert NOT_WRITTEN in _pack_html(runtime)
    saved = client.post("/learning/themes/T1/synthesis", headers=_lead(auth), data={**FORM, "action": "save"})
    assert saved.status_code == 302
    page = client.get(saved.headers["Location"], headers=_lead(auth)).get_data(as_text=True)
    assert "Your draft is saved" in page and "Version 1 is a draft." in page and "Nothing is published yet" in page
    assert "Open access cuts waiting times" in page, "the form shows what was saved"
    assert "Agree one referral form | Theme lead | March 2027" in page
    assert input_hash(_context(runtime)) == before, "a draft does not rebuild the pack"
    html = _pack_html(runtime)
    assert NOT_WRITTEN in html and "Open access cuts waiting times" not in html


def test_a_published_synthesis_is_what_the_pack_says_in_english_and_in_welsh(client, bus, auth, worker, runtime):
    bus.exchange(1)
    approve(client, auth, 1)
    lead = _lead(auth)
    before = input_hash(_context(runtime))
    published = client.post("/learning/themes/T1/synthesis", headers=lead, data={**FORM, "action": "publish"})
    assert published.status_code == 302
    page = client.get(published.headers["Location"], headers=lead).get_data(as_text=True)
    assert "The synthesis is published" in page and "Version 1 is in the pack." in page and "In the pack" in page
    assert input_hash(_context(runtime)) != before
    worker()
    text = " ".join(pdf_text(download(client, lead).data).split())
    assert "Open access cuts waiting times" in text and "What would open access need in your area?" in text
    assert "Agree one referral form" in text and "March 2027" in text and NOT_WRITTEN not in text
    assert "Which insight surprised you most" not in text, "no generic questions"
    welsh = _pack_html(runtime, "cy")
    assert "Mae mynediad agored yn lleihau amseroedd aros" in welsh and "Cytuno ar un ffurflen atgyfeirio" in welsh
    assert "Open access cuts waiting times" not in welsh
    # no Welsh questions were written: the English ones, marked for a screen reader's English voice
    assert '<ol class="questions" lang="en"><li>What would open access need in your area?</li>' in welsh
    with runtime.session() as session:
        actions = [row.action for row in session.scalars(select(Audit).where(Audit.action.like("synthesis.%")))]
    assert actions == ["synthesis.saved", "synthesis.published"]


def test_a_newer_draft_leaves_the_published_version_in_the_pack(client, bus, auth, runtime):
    bus.exchange(1)
    approve(client, auth, 1)
    lead = _lead(auth)
    client.post("/learning/themes/T1/synthesis", headers=lead, data={**FORM, "action": "publish"})
    client.post("/learning/themes/T1/synthesis", headers=lead,
                data={**FORM, "key_messages": "A rewrite not yet published", "action": "save"})
    html = _pack_html(runtime)
    assert "Open access cuts waiting times" in html and "A rewrite not yet published" not in html
    answer = client.get("/learning/api/themes/T1/synthesis", headers=lead).json
    assert (answer["status"], answer["version"], answer["published_version"]) == ("draft", 2, 1)
    assert answer["key_messages"] == ["A rewrite not yet published"]


def test_a_lead_of_another_theme_can_neither_read_nor_write_this_themes_synthesis(client, bus, auth):
    bus.exchange(1)
    bus.exchange(2, theme="T2")
    other = _lead(auth, "T2")
    assert client.post("/learning/themes/T1/synthesis", headers=other, data={**FORM, "action": "publish"}).status_code == 403
    assert client.get("/learning/api/themes/T1/synthesis", headers=other).status_code == 403
    assert client.put("/learning/api/themes/T1/synthesis", headers=other, json={"key_messages": ["x"]}).status_code == 403
    assert client.get("/learning/api/themes/T1/synthesis", headers=_lead(auth)).json["status"] == "not_started"


def test_the_api_saves_and_publishes_the_synthesis_with_its_actions(client, bus, auth):
    bus.exchange(1)
    body = {"key_messages": ["Open access works"], "workshop_questions": ["What next?"],
            "actions": [{"action": "Agree a form", "owner": "Theme lead"}], "actions_cy": ["Cytuno ar ffurflen"],
            "publish": True}
    answer = client.put("/learning/api/themes/T1/synthesis", headers=auth(admin=[]), json=body)
    assert answer.status_code == 200
    assert answer.json["status"] == "published" and answer.json["published_version"] == 1
    assert answer.json["actions"] == [{"action": "Agree a form", "owner": "Theme lead", "by_when": ""}]
    again = client.put("/learning/api/themes/T1/synthesis", headers=auth(admin=[]), json=body)
    assert again.json["version"] == 1, "the same text again adds no version"
    assert client.get("/learning/api/themes/T9/synthesis", headers=auth(admin=[])).status_code == 404


def test_every_problem_with_the_synthesis_is_shown_at_once_by_its_label_and_nothing_is_saved(client, bus, auth):
    bus.exchange(1)
    lead = _lead(auth)
    refused = client.post("/learning/themes/T1/synthesis", headers=lead, data={
        "key_messages": "", "actions": "| Theme lead | May", "actions_cy": "Un\nDau", "action": "publish"})
    assert refused.status_code == 422
    page = refused.get_data(as_text=True)
    assert "There is a problem" in page
    assert "Key messages: Write at least one key message before publishing." in page
    assert "Draft actions: Write what the action is before who does it and by when." in page
    assert "Draft actions in Welsh: Give one Welsh action for each action" in page
    assert "actions_cy" not in page.split('id="error-summary-title"')[1].split("</ul>")[0].replace('href="#actions_cy"', "")
    assert "| Theme lead | May" in page, "what was typed is kept"
    assert client.get("/learning/api/themes/T1/synthesis", headers=lead).json["version"] == 0


def test_the_pack_no_longer_groups_insights_that_share_a_word(client, bus, auth, runtime):
    bus.exchange(1)
    bus.exchange(2)
    approve(client, auth, 1, key_insights=["Community teams share records"])
    approve(client, auth, 2, key_insights=["Community pharmacies take referrals"])
    html = _pack_html(runtime)
    assert "Insights that mention" not in html and "What the exchanges share" not in html
    assert "Key messages" in html and NOT_WRITTEN in html
