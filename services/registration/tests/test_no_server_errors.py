"""No input a client can send gives a 5xx: random JSON, and valid bodies with one field replaced
by anything, on every endpoint that reads a body or a query."""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from .test_api_applications import application

json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**70, 2**70) | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=12,
)
APPLICATION_FIELDS = ["applicant", "exchange_ids", "line_manager_permission", "will_attend_sessions",
                      "privacy_notice_accepted", "applicant__name", "applicant__email", "applicant__participant_type",
                      "applicant__language", "applicant__access_needs"]
EXCHANGE_FIELDS = ["title", "theme", "subtheme", "host", "location", "starts_at", "ends_at", "capacity",
                   "booking_closes_at", "learning_outcomes", "orientation", "reflection", "reserved_places", "closed"]
FUZZ = settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@FUZZ
@given(body=json_values)
def test_any_json_body_to_apply_is_answered_without_a_server_error(client, catalogue, body):
    assert client.post("/registration/api/applications", json=body).status_code < 500


@FUZZ
@given(field=st.sampled_from(APPLICATION_FIELDS), value=json_values)
def test_an_application_with_any_one_field_replaced_is_answered_without_a_server_error(client, catalogue, field,
                                                                                      value):
    body = application([catalogue], **{field: value})
    assert client.post("/registration/api/applications", json=body).status_code in (201, 422)


@FUZZ
@given(field=st.sampled_from(EXCHANGE_FIELDS), value=json_values)
def test_an_exchange_patch_with_any_field_is_answered_without_a_server_error(client, auth, catalogue, field, value):
    response = client.patch(f"/registration/api/exchanges/{catalogue}", json={field: value}, headers=auth(admin=[]))
    assert response.status_code < 500


@FUZZ
@given(query=st.dictionaries(st.sampled_from(["theme", "date", "status", "town", "x"]), st.text(max_size=20)),
       token=st.text(max_size=60))
def test_any_query_or_token_is_answered_without_a_server_error(client, catalogue, query, token):
    assert client.get("/registration/api/exchanges", query_string=query).status_code < 500
    assert client.get(f"/registration/api/applications/{token}").status_code < 500
    assert client.post("/registration/api/auth/token", json={"email": token, "password": token}).status_code < 500
