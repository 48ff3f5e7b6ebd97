"""Caps are never silent cuts: over its cap a line needs the claimant's reason and is flagged.
Lost receipts, long journeys and duplicates (the same file, or the same cost, twice) are flagged."""

from __future__ import annotations

from .conftest import DAY, cost, journey, png_bytes, submit, upload


def test_an_item_over_its_cap_asks_for_a_reason_and_stores_nothing(client, bus, fin):
    response = submit(client, [cost(15000, kind="accommodation")])
    assert response.status_code == 422
    assert "£120.00 a night" in response.json["error"]["fields"]["items.0.over_cap_reason"][0]
    assert client.get("/expenses/api/claims?status=all", headers=fin).json == []


def test_an_item_over_its_cap_with_a_reason_is_flagged_and_paid_in_full(client, bus):
    response = submit(client, [cost(15000, kind="accommodation", over_cap_reason="Only room left in town")])
    assert response.status_code == 201
    item = response.json["items"][0]
    assert item["amount_pence"] == 15000 and "over_cap" in item["flags"]
    assert response.json["total_pence"] == 15000 and "over_cap" in response.json["flags"]


def test_a_per_night_cap_counts_the_nights(client, bus):
    response = submit(client, [cost(20000, kind="accommodation", nights=2)])
    assert response.status_code == 201
    assert "over_cap" not in response.json["items"][0]["flags"]


def test_a_per_day_cap_adds_up_the_days_items(client, bus):
    response = submit(client, [cost(1500, kind="subsistence"), cost(1400, kind="subsistence")])
    assert response.status_code == 422
    assert "items.1.over_cap_reason" in response.json["error"]["fields"]
    response = submit(client, [cost(1500, kind="subsistence"),
                               cost(1400, kind="subsistence", over_cap_reason="Two meals on a long day")])
    assert response.status_code == 201
    assert all("over_cap" in i["flags"] for i in response.json["items"])


def test_a_lost_receipt_is_flagged(client, bus):
    response = submit(client, [cost(900, lost_receipt_declaration="Blew away on the platform")])
    assert response.json["items"][0]["flags"] == ["lost_receipt"]
    assert response.json["items"][0]["lost_receipt_declaration"] == "Blew away on the platform"


def test_a_cost_needs_a_receipt_or_a_lost_receipt_declaration(client, bus):
    item = cost(900)
    del item["lost_receipt_declaration"]
    response = submit(client, [item])
    assert response.status_code == 422 and "items.0.receipt_id" in response.json["error"]["fields"]


def test_the_same_receipt_file_on_two_claims_is_flagged(client, bus):
    bus.claimant(2, 1, "second-token-abcdefghijklmnopqrstuvwxyz")
    first = upload(client, png_bytes()).json["receipt_id"]
    assert submit(client, [cost(1000, receipt_id=first)]).status_code == 201
    second = upload(client, png_bytes(), token="second-token-abcdefghijklmnopqrstuvwxyz").json["receipt_id"]
    response = submit(client, [cost(2000, receipt_id=second)], token="second-token-abcdefghijklmnopqrstuvwxyz")
    assert response.json["items"][0]["flags"] == ["duplicate_receipt:1"]
    assert response.json["flags"] == ["duplicate_receipt"]


def test_the_same_cost_claimed_twice_is_flagged(client, bus):
    bus.exchange(2)
    bus.attended(1, 2)
    assert submit(client, [cost(1000)]).status_code == 201
    response = submit(client, [cost(1000)], exchange_id=2)
    assert "duplicate_item:1" in response.json["items"][0]["flags"]


def test_the_same_cost_twice_in_one_claim_is_flagged(client, bus):
    response = submit(client, [cost(1000), cost(1000)])
    assert response.json["items"][1]["flags"] == ["lost_receipt", f"duplicate_item:{response.json['id']}"]


def test_a_journey_over_1000_miles_asks_for_confirmation_then_is_flagged(client, bus):
    response = submit(client, [journey(1200)])
    assert response.status_code == 422
    assert "more than 1,000 miles" in response.json["error"]["fields"]["items.0.miles"][0]
    response = submit(client, [journey(1200, confirm_long_journey=True)])
    assert response.status_code == 201
    assert "long_journey" in response.json["items"][0]["flags"]


def test_the_queue_filters_by_flag(client, bus, fin):
    submit(client, [cost(900, day=DAY)])
    assert [c["id"] for c in client.get("/expenses/api/claims?flag=lost_receipt", headers=fin).json] == [1]
    assert client.get("/expenses/api/claims?flag=over_cap", headers=fin).json == []
