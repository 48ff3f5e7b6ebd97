"""Workshop packs: approved text only, small counts suppressed, built in the worker, cached by the
hash of their inputs, rebuilt after a new approval; user text escaped; nothing fetched."""

from io import BytesIO

import pytest
from pypdf import PdfReader

from services.learning.operations.figures import suppress
from services.learning.packs import render
from services.learning.tests.conftest import FULL


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(BytesIO(data)).pages)


def approve(client, auth, exchange_id, **changes):
    host, lead = auth(host=[exchange_id]), auth(staff_id=2, theme_lead=["T1"])
    client.put(f"/learning/api/exchanges/{exchange_id}/summary", json={**FULL, **changes}, headers=host)
    client.post(f"/learning/api/exchanges/{exchange_id}/summary/submit", headers=host)
    assert client.post(f"/learning/api/exchanges/{exchange_id}/summary/approve", json={},
                       headers=lead).json["status"] == "approved"


def download(client, headers, scope="themes/T1"):
    return client.get(f"/learning/api/{scope}/pack.pdf", headers=headers)


def test_the_first_download_answers_202_with_progress_and_the_worker_builds_it(client, bus, auth, worker):
    bus.exchange(1)
    approve(client, auth, 1)
    lead = auth(staff_id=2, theme_lead=["T1"])
    first = download(client, lead)
    assert first.status_code == 202
    assert first.json["status"] == "building" and 0 <= first.json["progress"] < 100
    assert first.headers["Retry-After"]
    assert worker() >= 1
    ready = download(client, lead)
    assert ready.status_code == 200
    assert ready.mimetype == "application/pdf"
    assert ready.headers["X-Kx-Pack"] == "current"


def test_the_pack_holds_the_approved_text_and_not_the_draft(client, bus, auth, worker):
    bus.exchange(1, title="Open access in practice")
    approve(client, auth, 1, innovations="Approved walk-in sessions")
    client.put("/learning/api/exchanges/1/summary", json={**FULL, "innovations": "Draft rewrite not approved"},
               headers=auth(host=[1]))
    worker()
    response = download(client, auth(staff_id=2, theme_lead=["T1"]))
    assert response.status_code == 200
    text = pdf_text(response.data)
    assert "Approved walk-in sessions" in text
    assert "Draft rewrite not approved" not in text
    assert "Open access in practice" in text


def test_a_new_approval_rebuilds_the_pack(client, bus, auth, worker):
    bus.exchange(1)
    lead = auth(staff_id=2, theme_lead=["T1"])
    approve(client, auth, 1, innovations="First approved text")
    worker()
    before = download(client, lead)
    approve(client, auth, 1, innovations="Second approved text")
    stale = download(client, lead)
    assert stale.status_code == 200 and stale.headers["X-Kx-Pack"] == "rebuilding", "the latest pack, at once"
    assert stale.data == before.data
    assert worker() >= 1
    after = download(client, lead)
    assert after.headers["X-Kx-Pack"] == "current"
    assert "Second approved text" in pdf_text(after.data)
    assert "First approved text" not in pdf_text(after.data)


def test_a_second_download_is_served_from_the_cache(client, bus, auth, worker):
    bus.exchange(1)
    approve(client, auth, 1)
    lead = auth(staff_id=2, theme_lead=["T1"])
    download(client, lead)
    worker()
    first = download(client, lead)
    second = download(client, lead)
    assert first.headers["ETag"] == second.headers["ETag"] and first.data == second.data
    assert worker() == 0, "nothing was queued: the inputs had not changed"
    assert client.get("/learning/api/themes/T1/pack.pdf", headers={
        **lead, "If-None-Match": first.headers["ETag"]}).status_code == 304


def test_small_counts_are_suppressed_in_the_pack(client, bus, auth, worker):
    bus.exchange(1)
    for application_id in range(1, 8):
        bus.booking(application_id, 1, participant_type="occupation", group="health")
        bus.attended(application_id, 1)
    for application_id in range(8, 10):
        bus.booking(application_id, 1, participant_type="experience", group="lived experience")
        bus.attended(application_id, 1)
    approve(client, auth, 1)
    worker()
    text = pdf_text(download(client, auth(staff_id=2, theme_lead=["T1"])).data)
    assert "People who attended: 9" in text
    assert "Experts by experience fewer than 5" in text
    assert "Experts by occupation fewer than 5" in text, "the other cell goes too, or 9 - 7 would give it away"
    assert "lived experience fewer than 5" in text


def test_suppress_hides_counts_under_five_and_the_cell_that_would_give_one_away():
    assert suppress({"a": 7, "b": 6}) == {"a": 7, "b": 6}
    assert suppress({"a": 7, "b": 2}) == {"a": None, "b": None}
    assert suppress({"a": 7, "b": 2, "c": 3}) == {"a": 7, "b": None, "c": None}
    assert suppress({"a": 0, "b": 9}) == {"a": 0, "b": 9}


def test_html_in_a_summary_is_text_in_the_page_and_in_the_pdf(client, bus, auth, worker):
    bus.exchange(1)
    script = '<script>alert("x")</script><img src="https://example.org/t.png">'
    approve(client, auth, 1, innovations=script, key_insights=["<b>bold?</b>"])
    page = client.get("/learning/exchanges/1/summary", headers=auth(host=[1]))
    assert b"<script>alert" not in page.data
    assert b"&lt;script&gt;alert" in page.data
    worker()
    text = pdf_text(download(client, auth(staff_id=2, theme_lead=["T1"])).data)
    assert '<script>alert("x")</script>' in text, "printed as text, not run or dropped"
    assert "<b>bold?</b>" in text


def test_the_pdf_renderer_fetches_only_the_packs_own_assets(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("not for packs")
    fetcher = render.AssetsOnly()
    assert fetcher.fetch((render.ASSETS / "pack.css").as_uri()).read().startswith(b"/*")
    for url in (secret.as_uri(), "https://example.org/x.css", "http://127.0.0.1:8000/", "data:text/css,p{}",
                (render.ASSETS / ".." / "render.py").as_uri()):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_pack_in_welsh_is_its_own_pack(client, bus, auth, worker):
    bus.exchange(1)
    approve(client, auth, 1)
    lead = auth(staff_id=2, theme_lead=["T1"])
    assert client.get("/learning/api/themes/T1/pack.pdf?lang=cy", headers=lead).status_code == 202
    assert client.get("/learning/api/themes/T1/pack.pdf?lang=fr", headers=lead).status_code == 422
    worker()
    welsh = client.get("/learning/api/themes/T1/pack.pdf?lang=cy", headers=lead)
    assert welsh.status_code == 200
    assert PdfReader(BytesIO(welsh.data)).trailer["/Root"].get("/Lang") == "cy"


def test_only_leads_of_the_theme_and_admins_download_packs(client, bus, auth, admin):
    bus.exchange(1)
    assert download(client, auth(theme_lead=["T2"])).status_code == 403
    assert download(client, auth(host=[1])).status_code == 403
    assert download(client, auth(theme_lead=["T1"]), scope="programme").status_code == 403
    assert download(client, admin, scope="programme").status_code == 202
    assert download(client, admin, scope="themes/T9").status_code == 404


def test_the_programme_pack_has_every_theme_contents_with_page_numbers_and_charts(client, bus, auth, admin, worker):
    bus.exchange(1, theme="T1", title="First theme exchange")
    bus.exchange(2, theme="T2", title="Second theme exchange")
    for exchange_id in (1, 2):
        host = auth(host=[exchange_id])
        client.put(f"/learning/api/exchanges/{exchange_id}/summary", json=FULL, headers=host)
        client.post(f"/learning/api/exchanges/{exchange_id}/summary/submit", headers=host)
        client.post(f"/learning/api/exchanges/{exchange_id}/summary/approve", json={}, headers=admin)
    download(client, admin, scope="programme")
    worker()
    response = download(client, admin, scope="programme")
    reader = PdfReader(BytesIO(response.data))
    text = pdf_text(response.data)
    assert "First theme exchange" in text and "Second theme exchange" in text
    assert "Contents" in text and "Action planning" in text
    assert "Page 2 of" in text, "running page numbers"
    assert len(reader.pages) >= 8


def test_a_welsh_pack_counts_people_in_welsh_words(runtime, bus, client, auth):
    from services.learning.packs.context import gather

    bus.exchange(1)
    for application_id in range(1, 6):
        bus.booking(application_id, 1, participant_type="experience", group="health")
        bus.attended(application_id, 1)
    approve(client, auth, 1)
    with runtime.session() as session:
        welsh, english = (render.render_html(gather(session, "T1", language)) for language in ("cy", "en"))
    assert "<td>Arbenigwyr drwy brofiad</td>" in welsh and "<td>Iechyd</td>" in welsh
    assert "<td>health</td>" not in welsh and "<td>experience</td>" not in welsh
    assert "<td>Experts by experience</td>" in english and "<td>Health</td>" in english


def test_the_being_prepared_page_reloads_itself_without_script_until_asked_to_stop(client, bus, auth):
    bus.exchange(1)
    approve(client, auth, 1)
    lead = auth(staff_id=2, theme_lead=["T1"])
    page = client.get("/learning/themes/T1/pack.pdf?lang=cy", headers=lead)
    html = page.get_data(as_text=True)
    assert page.status_code == 202 and '<meta http-equiv="refresh" content="5">' in html
    assert "<script" not in html and "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert 'href="/learning/themes/T1/pack.pdf?lang=cy&amp;auto=0"' in html
    stopped = client.get("/learning/themes/T1/pack.pdf?lang=cy&auto=0", headers=lead).get_data(as_text=True)
    assert 'http-equiv="refresh"' not in stopped and 'href="/learning/themes/T1/pack.pdf?lang=cy"' in stopped


def test_a_theme_with_no_approved_summary_offers_no_pack(client, bus, auth):
    bus.exchange(1)
    lead, host = auth(staff_id=2, theme_lead=["T1"]), auth(host=[1])
    client.put("/learning/api/exchanges/1/summary", json=FULL, headers=host)
    client.post("/learning/api/exchanges/1/summary/submit", headers=host)
    page = client.get("/learning/themes/T1", headers=lead).get_data(as_text=True)
    assert "pack.pdf" not in page and "There is no pack yet" in page
    client.post("/learning/api/exchanges/1/summary/approve", json={}, headers=lead)
    page = client.get("/learning/themes/T1", headers=lead).get_data(as_text=True)
    assert "/learning/themes/T1/pack.pdf?lang=en" in page and "There is no pack yet" not in page


def test_the_pack_ready_email_goes_only_for_a_pack_with_approved_summaries(client, bus, auth, worker, runtime):
    import json

    from sqlalchemy import select

    from services.learning.models import Outbox, Theme

    bus.exchange(1)
    with runtime.session() as session, session.begin():
        session.get(Theme, "T1").notify_emails = ["lead@example.org"]
    lead = auth(staff_id=2, theme_lead=["T1"])

    def recipients():
        with runtime.session() as session:
            data = [json.loads(row.envelope)["data"] for row in session.scalars(
                select(Outbox).where(Outbox.type == "learning.pack.generated").order_by(Outbox.id))]
            return [d["recipients"] for d in data if d["theme"] == "T1"]

    assert download(client, lead).status_code == 202 and worker() >= 1
    assert recipients() == [[]]
    approve(client, auth, 1)
    download(client, lead)
    while worker():
        pass
    assert recipients()[1:] and all(sent == ["lead@example.org"] for sent in recipients()[1:])


def test_downloading_a_pack_in_the_other_language_keeps_the_interfaces_language(client, bus, auth, worker):
    bus.exchange(1)
    approve(client, auth, 1)
    lead = {**auth(staff_id=2, theme_lead=["T1"]), "Accept-Language": "en"}
    building = client.get("/learning/themes/T1/pack.pdf?lang=cy", headers={**lead, "Accept": "text/html"})
    assert building.status_code == 202 and '<html lang="en">' in building.text, "the page is in the reader's language"
    assert "kx_lang" not in building.headers.get("Set-Cookie", "")
    worker()
    welsh = client.get("/learning/themes/T1/pack.pdf?lang=cy", headers=lead)
    assert welsh.status_code == 200 and PdfReader(BytesIO(welsh.data)).trailer["/Root"].get("/Lang") == "cy"
    assert "kx_lang" not in welsh.headers.get("Set-Cookie", "")
    assert '<html lang="en">' in client.get("/learning/library/", headers=lead).text


def test_each_lead_is_told_only_of_the_pack_in_the_language_on_their_account(client, bus, auth, worker, runtime):
    """A Welsh-speaking lead's pack is built in Welsh, and they are told of that one alone; an
    English-speaking lead (and an address with no account) of the English one."""
    import json

    from sqlalchemy import select

    from services.learning.models import Outbox, Theme
    from shared import factories

    bus.exchange(1)
    bus.deliver("registration.staff.updated", factories.staff_updated(2, "Arweinydd@example.org", "cy",
                                                                       roles=("theme_lead",)))
    bus.deliver("registration.staff.updated", factories.staff_updated(3, "lead@example.org", "en",
                                                                       roles=("theme_lead",)))
    with runtime.session() as session, session.begin():
        session.get(Theme, "T1").notify_emails = ["arweinydd@example.org", "lead@example.org", "team@example.org"]
    approve(client, auth, 1)
    while worker():
        pass
    with runtime.session() as session:
        told = {}
        for row in session.scalars(select(Outbox).where(Outbox.type == "learning.pack.generated")):
            data = json.loads(row.envelope)["data"]
            if data["theme"] == "T1":
                told.setdefault(data["language"], []).append(data["recipients"])
    assert told == {"cy": [["arweinydd@example.org"]], "en": [["lead@example.org", "team@example.org"]]}
