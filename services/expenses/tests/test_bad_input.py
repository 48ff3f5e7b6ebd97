"""Bad input gets a specific 4xx naming the field, and nothing is stored."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from .conftest import DAY, PDF, TOKEN, cost, journey, png_bytes, submit, upload

LONDON = ZoneInfo("Europe/London")

OTHER = "other-claimant-token-abcdefghijklmnopqrstuvwxyz"


def nothing_stored(client, fin):
    assert client.get("/expenses/api/claims?status=all", headers=fin).json == []


@pytest.mark.parametrize("item,field", [
    (cost(0), "items.0.amount_pence"),
    (cost(-500), "items.0.amount_pence"),
    (cost(500_001), "items.0.amount_pence"),
    (cost("12.50"), "items.0.amount_pence"),
    (journey(0), "items.0.miles"),
    (journey(-3), "items.0.miles"),
    (journey(3001, confirm_long_journey=True), "items.0.miles"),
    (journey(1001), "items.0.miles"),
    (journey("12.55"), "items.0.miles"),
    (journey("lots"), "items.0.miles"),
    (journey(10, vehicle="tractor"), "items.0.vehicle"),
    (journey(10, passengers=-1), "items.0.passengers"),
    (journey(10, day=DAY + timedelta(days=4)), "items.0.date"),
    (journey(10, day=DAY - timedelta(days=5)), "items.0.date"),
    (cost(500, day=DAY + timedelta(days=30)), "items.0.date"),
    ({"type": "mileage", "date": "2025-02-30", "from": "A", "to": "B", "miles": 3, "vehicle": "car"}, "items.0.date"),
    ({"type": "yacht", "date": DAY.isoformat()}, "items.0.type"),
    ({**journey(10), "from": " "}, "items.0.from"),
    (cost(500, description=""), "items.0.description"),
])
def test_bad_lines_are_refused_by_field(client, bus, fin, item, field):
    response = submit(client, [item])
    assert response.status_code == 422, response.json
    assert field in response.json["error"]["fields"]
    nothing_stored(client, fin)


def test_a_claim_with_no_lines_is_refused(client, bus, fin):
    response = submit(client, [])
    assert response.status_code == 422 and "items" in response.json["error"]["fields"]
    nothing_stored(client, fin)


def test_malformed_bodies_are_400(client, bus):
    response = client.post("/expenses/api/claims", data="{not json", content_type="application/json")
    assert response.status_code == 400
    assert client.post("/expenses/api/claims", json=[1, 2]).status_code == 400


def test_a_claim_for_an_exchange_not_attended_is_refused(client, bus, fin):
    bus.exchange(2)  # booked there? no: never attended
    response = submit(client, [cost(500)], exchange_id=2)
    assert response.status_code == 422 and response.json["error"]["code"] == "not_attended"
    bus.attended(1, 2, attended=False)
    assert submit(client, [cost(500)], exchange_id=2).json["error"]["code"] == "not_attended"
    assert submit(client, [cost(500)], exchange_id=99).json["error"]["code"] == "not_attended"
    nothing_stored(client, fin)


def test_experts_by_occupation_claim_through_their_employer(client, bus, fin):
    bus.claimant(2, 1, OTHER, participant_type="occupation")
    response = submit(client, [cost(500)], token=OTHER)
    assert response.status_code == 403 and response.json["error"]["code"] == "not_expert_by_experience"
    nothing_stored(client, fin)


def test_claims_close_a_configurable_number_of_days_after_the_exchange(client, bus, fin):
    # 91 days ago by the calendar in Wales, at noon there: the window counts London days, and late in
    # a UTC evening "91 days ago" can fall on the next London day across a change of clocks
    ended = datetime.combine(datetime.now(LONDON).date() - timedelta(days=91), time(12), tzinfo=LONDON)
    bus.exchange(3, ends=ended.astimezone(UTC))
    bus.attended(1, 3)
    response = submit(client, [cost(500, day=ended.date())], exchange_id=3)
    assert response.status_code == 422 and response.json["error"]["code"] == "claim_window_closed"
    nothing_stored(client, fin)


def test_an_unknown_manage_token_is_404(client, bus, fin):
    assert submit(client, [cost(500)], token="nobody").status_code == 404
    nothing_stored(client, fin)


def test_a_receipt_of_another_claimant_cannot_be_used(client, bus, fin):
    bus.claimant(2, 1, OTHER)
    theirs = upload(client, PDF, "their.pdf", token=OTHER).json["receipt_id"]
    response = submit(client, [cost(500, receipt_id=theirs)])
    assert response.status_code == 422 and "items.0.receipt_id" in response.json["error"]["fields"]
    assert client.get(f"/expenses/api/receipts/{theirs}?manage_token={TOKEN}").status_code == 404
    nothing_stored(client, fin)


def test_a_file_that_is_not_an_image_or_pdf_is_refused_whatever_its_name(client, bus, runtime):
    from sqlalchemy import func, select

    from services.expenses.models import Receipt

    for content, name in ((b"<html><script>alert(1)</script></html>", "receipt.png"),
                          (b"MZ\x90\x00 an executable", "receipt.pdf"),
                          (b"\x89PNG\r\n\x1a\n not really a png", "receipt.png"),
                          (b"\xff\xd8\xff\xe0" + b"<html><script>x</script>" + b"\x00" * 50, "photo.jpg"),
                          (png_bytes()[:8] + b"%PDF-1.4 hidden" + png_bytes()[8:], "both.png"),
                          (b"%PDF-1.4\n<html><script>alert(1)</script>\n%%EOF", "polyglot.pdf"),
                          (b"%PDF-1.4 truncated with no end", "cut.pdf"),
                          (b"", "empty.pdf")):
        response = upload(client, content, name)
        assert response.status_code == 422, name
        assert "file" in response.json["error"]["fields"]
    with runtime.session() as session:
        assert session.scalar(select(func.count(Receipt.id))) == 0
