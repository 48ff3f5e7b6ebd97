"""`errors_by_field`, the one mapping from a refusal to an HTML form's errors: the first message of
each problem, beside the field the form names for its path."""

from __future__ import annotations

from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field, unindexed


def test_a_validation_error_gives_the_first_message_of_each_flattened_path():
    refusal = ValidationError({"applicant": {"email": ["Not a valid email address.", "Too long."]},
                               "title": ["Missing data for required field."]})
    assert errors_by_field(refusal) == {"applicant.email": "Not a valid email address.",
                                        "title": "Missing data for required field."}


def test_each_form_names_the_field_a_path_is_shown_beside_and_the_first_problem_wins():
    refusal = ApiError(422, "invalid", fields={"exchange_ids.2": ["There is no exchange 9."],
                                               "exchange_ids.5": ["There is no exchange 12."]})
    assert errors_by_field(refusal, unindexed) == {"exchange_ids": "There is no exchange 9."}


def test_a_path_the_form_does_not_show_is_left_out():
    refusal = ApiError(422, "invalid", fields={"items.0.miles": ["Too far."], "items.1.miles": ["Too short."]})
    assert errors_by_field(refusal, lambda path: "miles" if path.startswith("items.1.") else None) == {
        "miles": "Too short."}


def test_an_api_error_without_fields_shows_its_message_beside_the_field_named():
    assert errors_by_field(ApiError(409, "Full.")) == {"_schema": "Full."}
    assert errors_by_field(ApiError(409, "Full."), message_field="capacity") == {"capacity": "Full."}


def test_list_positions_are_taken_out_of_a_path():
    assert unindexed("reserved_places.0.until") == "reserved_places.until"
    assert unindexed("title") == "title"
