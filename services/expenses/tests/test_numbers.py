"""Numbers a client can send in a body (huge, not finite, of the wrong type) are a 422 naming the
field, never a 500: ids must fit the database's id columns, amounts and miles must be finite."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .conftest import BANK, TOKEN, cost, journey, submit

HUGE = "1" + "0" * 400  # a JSON integer Python reads exactly, and no database column holds
NOT_NUMBERS = (HUGE, "-" + HUGE, "1e308", "-1e308", "NaN", "Infinity", "-Infinity", "9223372036854775808",
               "2147483648", "12.5", "true", '"12"', "[1]", '{"a": 1}', "null")


def post(client, path, body: str, headers=None):
    return client.post(path, data=body, content_type="application/json", headers=headers or {})


def claim_body(items, **extra) -> dict:
    return {"manage_token": TOKEN, "exchange_id": 1, "items": items, "bank": BANK, **extra}


def with_number(body: dict, placeholder: str, number: str) -> str:
    """The body as JSON with `number` written where the placeholder string was (json.dumps cannot write 10**400
    as the client did, nor NaN where a test wants it)."""
    return json.dumps(body).replace(f'"{placeholder}"', number)


def nothing_stored(client, fin):
    assert client.get("/expenses/api/claims?status=all", headers=fin).json == []


@pytest.mark.parametrize("number", NOT_NUMBERS)
def test_an_exchange_id_that_is_not_a_database_id_is_refused_by_field(client, bus, fin, number):
    response = post(client, "/expenses/api/claims", with_number(claim_body([cost(500)], exchange_id="N"), "N", number))
    assert response.status_code == 422, response.json
    assert "exchange_id" in response.json["error"]["fields"]
    nothing_stored(client, fin)


@pytest.mark.parametrize("number", NOT_NUMBERS)
def test_a_receipt_id_that_is_not_a_database_id_is_refused_by_field(client, bus, fin, number):
    item = {**cost(500), "receipt_id": "N"}
    del item["lost_receipt_declaration"]
    response = post(client, "/expenses/api/claims", with_number(claim_body([item]), "N", number))
    assert response.status_code == 422, response.json
    assert "items.0.receipt_id" in response.json["error"]["fields"]
    nothing_stored(client, fin)


@pytest.mark.parametrize("number", NOT_NUMBERS)
def test_an_amount_that_is_not_a_sum_in_pence_is_refused_by_field(client, bus, fin, number):
    response = post(client, "/expenses/api/claims", with_number(claim_body([cost("N")]), "N", number))
    assert response.status_code == 422, response.json
    assert "items.0.amount_pence" in response.json["error"]["fields"]
    nothing_stored(client, fin)


@pytest.mark.parametrize("number", [n for n in NOT_NUMBERS if n not in ("12.5", '"12"')])
def test_miles_that_are_not_a_distance_are_refused_by_field(client, bus, fin, number):
    response = post(client, "/expenses/api/claims", with_number(claim_body([journey("N")]), "N", number))
    assert response.status_code == 422, response.json
    assert "items.0.miles" in response.json["error"]["fields"]
    nothing_stored(client, fin)


@pytest.mark.parametrize("field", ("passengers", "nights"))
@pytest.mark.parametrize("number", (HUGE, "1e308", "NaN", "Infinity"))
def test_counts_that_are_not_small_whole_numbers_are_refused_by_field(client, bus, fin, field, number):
    item = journey(10, passengers="N") if field == "passengers" else cost(500, kind="accommodation", nights="N")
    response = post(client, "/expenses/api/claims", with_number(claim_body([item]), "N", number))
    assert response.status_code == 422, response.json
    assert f"items.0.{field}" in response.json["error"]["fields"]
    nothing_stored(client, fin)


@pytest.mark.parametrize("number", NOT_NUMBERS)
def test_line_ids_to_approve_that_are_not_database_ids_are_refused_by_field(client, bus, fin, number):
    claim = submit(client, [cost(500)]).json
    response = post(client, f"/expenses/api/claims/{claim['id']}/approve", f'{{"item_ids": [{number}]}}', headers=fin)
    assert response.status_code == 422, response.json
    assert {"item_ids", "item_ids.0"} & set(response.json["error"]["fields"])
    assert client.get(f"/expenses/api/claims/{claim['id']}", headers=fin).json["status"] == "submitted"


@pytest.mark.parametrize("number", NOT_NUMBERS)
def test_claim_ids_for_a_payment_run_that_are_not_database_ids_are_refused_by_field(client, bus, fin, auth, number):
    claim = submit(client, [cost(500)]).json
    client.post(f"/expenses/api/claims/{claim['id']}/approve", headers=auth(finance=[], staff_id=30))
    response = post(client, "/expenses/api/payment-runs", f'{{"claim_ids": [{number}]}}', headers=fin)
    assert response.status_code == 422, response.json
    assert "claim_ids.0" in response.json["error"]["fields"]
    assert client.get("/expenses/api/payment-runs", headers=fin).json == []


def test_a_receipt_number_too_big_for_the_database_in_the_cost_form_is_a_form_error(client, bus):
    claim = client.post(f"/expenses/manage/{TOKEN}/exchanges/1/claim")
    page = claim.headers["Location"]
    day = cost(500)["date"].split("-")
    response = client.post(f"{page}/cost", data={
        "type": "public_transport", "date-day": day[2], "date-month": day[1], "date-year": day[0],
        "description": "Train", "amount": "5.00", "receipt_id": HUGE})
    assert response.status_code == 422


#: numbers of every size, past what the database holds, and NaN and ±Infinity
NUMBERS = st.integers() | st.sampled_from([2**31, 2**63, -(2**63) - 1, 10**400]) | st.floats()
#: any JSON a client can send, numbers most often
JSON_VALUES = NUMBERS | st.recursive(
    st.none() | st.booleans() | NUMBERS | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner, max_size=3), max_leaves=6)
#: where a number goes in a claim: (the line it is on, or None for the claim; the field)
NUMBER_FIELDS = [(None, "exchange_id"), ("cost", "amount_pence"), ("cost", "receipt_id"), ("journey", "miles"),
                 ("journey", "passengers"), ("accommodation", "nights")]


@settings(max_examples=150, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck))
@given(where=st.sampled_from(NUMBER_FIELDS), value=JSON_VALUES)
def test_any_json_value_where_a_number_goes_is_answered_below_500(client, bus, where, value):
    line, field = where
    item = {"cost": cost(500), "journey": journey(10), "accommodation": cost(5000, kind="accommodation", nights=1),
            None: cost(500)}[line]
    body = claim_body([{**item, field: value}] if line else [item], **({field: value} if line is None else {}))
    response = post(client, "/expenses/api/claims", json.dumps(body))
    assert response.status_code < 500, (field, value, response.json)
    if response.status_code == 422:
        assert response.json["error"]["fields"], (field, value)


@pytest.mark.parametrize("name", ("exchange", "exchange_id"))
@pytest.mark.parametrize("number", (HUGE, "9223372036854775808", "2147483648"))
def test_an_exchange_filter_of_the_queue_too_big_for_an_id_is_refused_by_field(client, bus, fin, name, number):
    response = client.get(f"/expenses/api/claims?{name}={number}", headers=fin)
    assert response.status_code == 422 and "exchange" in response.json["error"]["fields"]
    page = client.get(f"/expenses/finance/?{name}={number}", headers=fin)
    assert page.status_code == 200 and "Must be an exchange number." in page.get_data(as_text=True)
