import json

import pytest

from shared.bus import dumps
from shared.events import EVENT_SCHEMAS, InvalidEvent, UnknownEventType, make_envelope, parse

CONTRACT_TYPES = {
    "registration.exchange.published", "registration.exchange.updated",
    "registration.booking.confirmed", "registration.booking.waitlisted",
    "registration.booking.promoted", "registration.booking.cancelled",
    "registration.attendance.recorded",
    "learning.summary.submitted", "learning.summary.approved", "learning.summary.returned",
    "learning.pack.generated",
    "expenses.claim.submitted", "expenses.claim.approved", "expenses.claim.rejected",
    "expenses.claim.queried", "expenses.claim.paid",
    "notifications.message.sent", "notifications.message.failed",
}


def test_every_event_type_of_the_contract_has_a_schema():
    assert set(EVENT_SCHEMAS) >= CONTRACT_TYPES


def test_an_envelope_is_cloudevents_1_0_and_survives_a_json_round_trip():
    envelope = make_envelope("learning", "learning.summary.approved", {"exchange_id": 3, "theme": "T2", "version": 4})
    assert envelope["specversion"] == "1.0"
    assert envelope["source"] == "/learning"
    assert envelope["datacontenttype"] == "application/json"
    parsed, data = parse(dumps(envelope).encode())
    assert parsed["id"] == envelope["id"]
    assert data == {"exchange_id": 3, "theme": "T2", "version": 4}


def test_a_producer_cannot_emit_data_missing_a_field_or_with_an_undeclared_one():
    with pytest.raises(InvalidEvent) as missing:
        make_envelope("learning", "learning.summary.approved", {"exchange_id": 3, "theme": "T2"})
    assert missing.value.fields == ["version"]
    with pytest.raises(InvalidEvent):
        make_envelope("learning", "learning.summary.approved",
                      {"exchange_id": 3, "theme": "T2", "version": 1, "surprise": True})


def test_a_consumer_ignores_fields_added_by_a_newer_producer():
    envelope = make_envelope("learning", "learning.summary.approved", {"exchange_id": 3, "theme": "T2", "version": 4})
    envelope["data"]["added_later"] = "fine"
    _, data = parse(json.dumps(envelope))
    assert "added_later" not in data


def test_an_unknown_type_and_an_invalid_payload_are_told_apart():
    envelope = make_envelope("learning", "learning.summary.approved", {"exchange_id": 3, "theme": "T2", "version": 4})
    with pytest.raises(UnknownEventType):
        parse(json.dumps({**envelope, "type": "learning.summary.burnt"}))
    with pytest.raises(InvalidEvent) as invalid:
        parse(json.dumps({**envelope, "data": {"exchange_id": "three", "theme": "T2", "version": 4}}))
    assert invalid.value.fields == ["exchange_id"]


def test_an_invalid_event_names_fields_but_never_their_values():
    envelope = make_envelope("expenses", "expenses.claim.paid", {
        "claim_id": 1, "exchange_id": 2, "claimant_email": "sam@example.org", "language": "en",
        "total_pence": 100, "reason": None})
    envelope["data"]["claimant_email"] = "not-an-address-sam"
    with pytest.raises(InvalidEvent) as invalid:
        parse(json.dumps(envelope))
    assert "claimant_email" in str(invalid.value)
    assert "sam" not in str(invalid.value)
