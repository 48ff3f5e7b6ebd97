"""The claimant's pages (no JavaScript needed) and finance's pages, end to end through the forms."""

from __future__ import annotations

import io
import re
from urllib.parse import urlencode

from .conftest import BANK, DAY, TOKEN, cost, journey, png_bytes, submit

BASE = f"/expenses/manage/{TOKEN}"


def date_fields(day=DAY) -> dict:
    return {"date-day": str(day.day), "date-month": str(day.month), "date-year": str(day.year)}


def start(client) -> str:
    response = client.post(f"{BASE}/exchanges/1/claim")
    assert response.status_code == 302
    return response.headers["Location"]


def test_a_claimant_claims_without_javascript(client, bus, fin):
    page = client.get(BASE)
    assert page.status_code == 200 and "Claim expenses" in page.get_data(as_text=True)
    claim_url = start(client)
    assert client.get(claim_url).status_code == 200

    journey_form = {**date_fields(), "from": "Aberystwyth", "to": "Carmarthen", "miles": "20", "vehicle": "car",
                    "passengers": "1"}
    quoted = client.post(f"{claim_url}/journey", data={**journey_form, "action": "quote"})
    assert quoted.status_code == 200 and "£12.00" in quoted.get_data(as_text=True)  # 20 × 55p + 20 × 5p
    assert client.post(f"{claim_url}/journey", data={**journey_form, "action": "save"}).status_code == 302

    cost_form = {**date_fields(), "type": "public_transport", "description": "Bus", "amount": "3.40",
                 "receipt": (io.BytesIO(png_bytes()), "ticket.png")}
    saved = client.post(f"{claim_url}/cost", data=cost_form, content_type="multipart/form-data")
    assert saved.status_code == 302

    bank = client.post(f"{claim_url}/bank", data={"account_name": "A Example", "sort_code": "309457",
                                                  "account_number": "00733445"})
    assert bank.status_code == 302
    tasks = client.get(claim_url + "?change=1").get_data(as_text=True)
    assert "Account ending 3445" in tasks and "00733445" not in tasks and "£15.40" in tasks

    check = client.get(f"{claim_url}/check").get_data(as_text=True)
    assert "Check your answers" in check
    refused = client.post(f"{claim_url}/check", data={})
    assert refused.status_code == 422 and "There is a problem" in refused.get_data(as_text=True)
    sent = client.post(f"{claim_url}/check", data={"declaration": "yes"})
    assert sent.status_code == 302
    status = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "has been sent to finance" in status

    listed = client.get("/expenses/api/claims", headers=fin).json
    assert listed[0]["total_pence"] == 1540 and listed[0]["status"] == "submitted"


def test_form_errors_follow_the_govuk_pattern_and_keep_what_was_typed(client, bus):
    claim_url = start(client)
    response = client.post(f"{claim_url}/journey", data={"date-day": "31", "date-month": "2", "date-year": "2025",
                                                         "from": "Aberystwyth", "to": "", "miles": "-4",
                                                         "vehicle": "car", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert re.search(r"<title>Error: ", page) and "There is a problem" in page
    assert 'href="#date"' in page and 'href="#to"' in page
    assert 'value="Aberystwyth"' in page


def test_the_allowance_is_computed_by_the_server_as_they_type(client, bus):
    claim_url = start(client)
    quote = client.get(f"{claim_url}/quote", query_string={**date_fields(), "miles": "10", "vehicle": "bicycle"})
    assert quote.json["amount_pence"] == 200 and quote.json["working"] == "10 mi at 20p"
    assert client.get(f"{claim_url}/quote?miles=x").json["amount_pence"] is None
    page = client.get(f"{claim_url}/journey")
    html = page.get_data(as_text=True)
    assert "/expenses/static/claim.js" in html and "<script>" not in html  # a same-origin file, no inline script
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]


def test_an_over_cap_cost_asks_for_the_reason_beside_the_field(client, bus):
    claim_url = start(client)
    form = {**date_fields(), "type": "accommodation", "description": "Hotel", "amount": "150",
            "lost_receipt": "Lost it"}
    response = client.post(f"{claim_url}/cost", data=form)
    assert response.status_code == 422 and 'id="over_cap_reason-error"' in response.get_data(as_text=True)
    assert client.post(f"{claim_url}/cost", data={**form, "over_cap_reason": "Only room"}).status_code == 302


def test_a_bad_receipt_is_refused_on_the_form(client, bus):
    claim_url = start(client)
    form = {**date_fields(), "type": "parking", "description": "Car park", "amount": "4",
            "receipt": (io.BytesIO(b"<html>not a receipt</html>"), "receipt.jpg")}
    response = client.post(f"{claim_url}/cost", data=form, content_type="multipart/form-data")
    assert response.status_code == 422 and "PDF, JPG or PNG" in response.get_data(as_text=True)


def test_an_expert_by_occupation_is_told_to_claim_through_their_employer(client, bus):
    bus.claimant(2, 1, "staff-token-abcdefghijklmnopqrstuvwxyz", participant_type="occupation")
    page = client.get("/expenses/manage/staff-token-abcdefghijklmnopqrstuvwxyz").get_data(as_text=True)
    assert "through your employer" in page
    assert client.post("/expenses/manage/staff-token-abcdefghijklmnopqrstuvwxyz/exchanges/1/claim").status_code == 403


def test_an_unknown_token_or_another_claim_is_404(client, bus):
    assert client.get("/expenses/manage/nobody").status_code == 404
    bus.claimant(2, 1, "other-token-abcdefghijklmnopqrstuvwxyz")
    other = client.post("/expenses/manage/other-token-abcdefghijklmnopqrstuvwxyz/exchanges/1/claim")
    other_id = other.headers["Location"].rsplit("/", 1)[1]
    assert client.get(f"{BASE}/claims/{other_id}").status_code == 404


def test_finance_works_the_queue_and_pays_a_run(client, bus, fin, fin2, auth):
    receipt = client.post("/expenses/api/receipts", data={"manage_token": TOKEN, "file": (io.BytesIO(png_bytes()), "r.png")},
                          content_type="multipart/form-data").json["receipt_id"]
    claim = submit(client, [journey(10), cost(500, receipt_id=receipt)]).json
    queue = client.get("/expenses/finance/", headers=fin).get_data(as_text=True)
    assert f"Claim {claim['id']}" in queue and "1 claim" in queue
    assert client.get("/expenses/finance/?status=nonsense", headers=fin).status_code == 200
    page = client.get(f"/expenses/finance/claims/{claim['id']}", headers=fin).get_data(as_text=True)
    assert f'<img class="kx-receipt" src="/expenses/finance/receipts/{receipt}"' in page
    assert client.get(f"/expenses/finance/receipts/{receipt}", headers=fin).mimetype == "image/png"
    refused = client.post(f"/expenses/finance/claims/{claim['id']}/reject", data={"reason": ""}, headers=fin)
    assert refused.status_code == 422 and "There is a problem" in refused.get_data(as_text=True)
    approver = auth(finance=[], staff_id=30)
    assert client.post(f"/expenses/finance/claims/{claim['id']}/approve", data={"scope": "all"},
                       headers=approver).status_code == 302
    made = client.post("/expenses/finance/runs", headers=fin)
    assert made.status_code == 302
    run_url = made.headers["Location"]
    assert "a different member of finance staff must approve" in client.get(run_url, headers=fin).get_data(as_text=True)
    assert client.post(f"{run_url}/approve", headers=fin).status_code == 403
    assert client.post(f"{run_url}/confirm", headers=fin2).status_code == 409  # not approved yet
    assert client.post(f"{run_url}/approve", headers=fin2).status_code == 302
    assert client.post(f"{run_url}/confirm", headers=fin2).status_code == 302
    assert client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).json["status"] == "paid"
    dashboard = client.get("/expenses/finance/dashboard", headers=fin).get_data(as_text=True)
    assert "£10.50" in dashboard and "unverified: to be confirmed by finance" in dashboard


def test_finance_pages_send_a_signed_out_person_to_sign_in_and_need_finance(client, bus, auth):
    for path in ("/expenses/finance/", "/expenses/finance/runs", "/expenses/finance/dashboard"):
        signed_out = client.get(path)
        assert signed_out.status_code == 302
        assert signed_out.headers["Location"] == "/registration/login?" + urlencode({"next": path})
        assert client.get(path, headers=auth(host=[1])).status_code == 403


def test_finance_words_come_in_the_readers_language_and_english_reads_as_the_api_writes(app):
    from services.expenses.models import ClaimHistory
    from services.expenses.vocabularies import dashboard_words, history_rows, working_words

    working = "100 mi at 55p + 30 mi at 25p + 130 mi × 2 passengers at 5p"
    figures = {"total": {}, "by_exchange": [{"exchange_id": 9, "title": "Exchange 9"}],
               "by_theme": [{"theme": "T1"}, {"theme": "unknown"}],
               "by_month": [{"month": "2025-03"}, {"month": "unknown"}]}
    cancelled = ClaimHistory(claim_id=1, actor_kind="system", actor_id=None, actor_name="System",
                             action="removed_from_run", from_status="in_run", to_status="approved",
                             note="payment run 3 cancelled")
    with app.test_request_context("/?lang=cy"):
        assert working_words(working) == ("100 milltir ar 55c + 30 milltir ar 25c"
                                          " + 130 milltir × 2 deithiwr ar 5c")
        assert working_words("0 mi") == "0 milltir" and working_words("as agreed") == "as agreed"
        words = dashboard_words(figures)
        assert words["by_exchange"][0]["title"] == "Cyfnewid 9"
        assert [r["theme"] for r in words["by_theme"]] == ["T1", "Anhysbys"]
        assert [r["month"] for r in words["by_month"]] == ["Mawrth 2025", "Anhysbys"]
        [row] = history_rows([cancelled])
        assert (row["who"], row["what"], row["from"], row["to"], row["note"]) == (
            "Y system", "Wedi'i dynnu o rediad talu", "Yn cael ei dalu", "Wedi'i gymeradwyo",
            "Rhediad talu 3, wedi'i ganslo")
    with app.test_request_context("/?lang=en"):
        assert working_words(working) == working
        assert [r["month"] for r in dashboard_words(figures)["by_month"]] == ["March 2025", "Unknown"]


def test_the_cost_form_never_names_another_claimants_receipt(client, bus):
    other = "other-token-abcdefghijklmnopqrstuvwxyz"
    bus.claimant(2, 1, other)
    theirs = client.post("/expenses/api/receipts", content_type="multipart/form-data", data={
        "manage_token": other, "file": (io.BytesIO(png_bytes()), "their-hospital-letter.png")}).json["receipt_id"]
    mine = client.post("/expenses/api/receipts", content_type="multipart/form-data", data={
        "manage_token": TOKEN, "file": (io.BytesIO(png_bytes()), "my-bus-ticket.png")}).json["receipt_id"]
    claim_url = start(client)
    form = {**date_fields(), "type": "parking", "description": "Car park", "amount": ""}
    page = client.post(f"{claim_url}/cost", data={**form, "receipt_id": str(theirs)}).get_data(as_text=True)
    assert "their-hospital-letter" not in page and 'name="receipt_id"' not in page
    page = client.post(f"{claim_url}/cost", data={**form, "receipt_id": str(mine)}).get_data(as_text=True)
    assert "my-bus-ticket.png" in page and f'name="receipt_id" value="{mine}"' in page


def test_a_replaced_link_opens_expenses_and_the_old_one_nothing_even_if_an_older_booking_event_comes_later(
        client, bus):
    from shared import factories
    from shared.bus import dumps
    from shared.events import make_envelope, parse

    late = make_envelope("registration", "registration.booking.confirmed",
                         factories.booking(7, 1, token="old-token-7", applicant={"participant_type": "experience"}))
    bus.claimant(7, 1, "old-token-7")
    bus.deliver("registration.application.link_replaced",
                factories.link_replaced(7, "new-token-7", applicant={"participant_type": "experience"}))
    late["time"] = "2000-01-01T00:00:00+00:00"  # raised before the replacement, delivered after it
    bus.deliver("registration.booking.confirmed", late["data"], envelope=parse(dumps(late))[0])
    assert client.get("/expenses/manage/old-token-7").status_code == 404
    assert client.get("/expenses/manage/new-token-7").status_code == 200


def test_a_journey_or_cost_in_the_future_is_refused_beside_the_date(client, bus):
    from datetime import date, timedelta
    claim_url = start(client)
    tomorrow = date_fields(date.today() + timedelta(days=2))
    response = client.post(f"{claim_url}/journey", data={**tomorrow, "from": "Aberystwyth", "to": "Carmarthen",
                                                         "miles": "20", "vehicle": "car", "action": "save"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="date-error"' in page and "today or in the past" in page
    response = client.post(f"{claim_url}/cost", data={**tomorrow, "type": "parking", "description": "Car park",
                                                      "amount": "4", "lost_receipt": "Lost it"})
    assert response.status_code == 422 and "today or in the past" in response.get_data(as_text=True)


def test_the_long_journey_confirmation_is_asked_only_of_a_journey_that_long(client, bus):
    claim_url = start(client)
    hidden = '<div class="kx-form-group" id="long-journey" data-over="1000" hidden>'
    assert hidden in client.get(f"{claim_url}/journey").get_data(as_text=True)
    form = {**date_fields(), "from": "Aberystwyth", "to": "Carmarthen", "vehicle": "car", "action": "save"}
    short = client.post(f"{claim_url}/journey", data={**form, "to": "", "miles": "20"}).get_data(as_text=True)
    assert hidden in short
    long = client.post(f"{claim_url}/journey", data={**form, "miles": "1,200"})
    page = long.get_data(as_text=True)
    assert long.status_code == 422 and 'id="long-journey" data-over="1000">' in page and 'id="miles-error"' in page
    confirmed = client.post(f"{claim_url}/journey", data={**form, "miles": "1,200", "confirm_long_journey": "yes"})
    assert confirmed.status_code == 302


def test_a_sent_claim_shows_its_reference_and_when_finance_will_check_it(client, bus):
    claim = submit(client, [journey(10)]).json
    page = client.get(f"{BASE}/claims/{claim['id']}?sent=1").get_data(as_text=True)
    assert f'<strong id="claim-reference">{claim["id"]}</strong>' in page
    assert "usually within two weeks" in page and "give your claim reference" in page


def test_a_bad_receipt_file_is_shown_with_the_forms_other_errors(client, bus):
    claim_url = start(client)
    form = {"date-day": "", "date-month": "", "date-year": "", "type": "parking", "description": "", "amount": "",
            "receipt": (io.BytesIO(b"<html>not a receipt</html>"), "receipt.jpg")}
    response = client.post(f"{claim_url}/cost", data=form, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "PDF, JPG or PNG" in page
    for field in ("date", "description", "amount", "receipt"):
        assert f'href="#{field}"' in page, field


def test_the_api_refuses_a_line_dated_in_the_future_naming_it(client, bus):
    from datetime import date, timedelta
    response = submit(client, [journey(10), cost(400, kind="parking", day=date.today() + timedelta(days=1),
                                               lost_receipt_declaration="Lost it")])
    assert response.status_code == 422 and list(response.json["error"]["fields"]) == ["items.1.date"]
    assert "today or in the past" in response.json["error"]["fields"]["items.1.date"][0]
    future = [cost(400, kind="parking", day=date.today() + timedelta(days=1), lost_receipt_declaration="Lost it")]
    welsh = client.post("/expenses/api/claims", headers={"Accept-Language": "cy"},
                        json={"manage_token": TOKEN, "exchange_id": 1, "items": future, "bank": BANK})
    assert welsh.status_code == 422 and "heddiw neu yn y gorffennol" in welsh.json["error"]["fields"]["items.0.date"][0]
