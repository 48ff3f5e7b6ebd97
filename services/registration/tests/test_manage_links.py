"""A manage link asked for again by email, or replaced by its holder (operations/manage_links.py):
one new token per person (one application each since issue 15), the old one refused at once, the new one sealed on
`registration.application.link_replaced`; the same answer whatever the email; limits per email
(silent) and per client address (429), counted in the database."""

from __future__ import annotations

from shared.link_seal import unseal
from shared.manage_tokens import token_hash
from shared.testing import make_app

from .conftest import add_exchange, applicant, apply_now, events

LINK = "/registration/api/applications/link"


def test_a_person_who_applied_twice_is_sent_one_new_link_to_all_their_bookings_and_the_old_one_fails(
        client, runtime, catalogue):
    second_exchange = add_exchange(runtime, title="Second exchange")
    first = apply_now(runtime, applicant(1), [catalogue]).manage_token
    again = apply_now(runtime, applicant(1, email="PERSON1@example.org"), [second_exchange])
    assert again.manage_token is None and again.link == "emailed", "joined by email: the link is only emailed"
    answer = client.post(LINK, json={"email": "person1@example.org"})
    assert answer.status_code == 202
    [(_type, data)] = events(runtime, "registration.application.link_replaced")
    assert data["reason"] == "requested"
    assert client.get(f"/registration/api/applications/{first}").status_code == 404
    token = unseal(runtime.settings, data["manage_token_sealed"])
    assert token_hash(token) == data["manage_token_hash"] and token not in str(data)
    page = client.get(f"/registration/api/applications/{token}")
    assert sorted(b["exchange_id"] for b in page.json["bookings"]) == sorted([catalogue, second_exchange])


def test_an_unknown_email_gets_the_same_answer_and_nothing_happens(client, runtime, catalogue):
    apply_now(runtime, applicant(2), [catalogue])
    known = client.post(LINK, json={"email": "person2@example.org"})
    unknown = client.post(LINK, json={"email": "nobody@example.org"})
    assert (unknown.status_code, unknown.json) == (known.status_code, known.json) == (202, known.json)
    assert len(events(runtime, "registration.application.link_replaced")) == 1


def test_past_the_email_limit_nothing_more_is_sent_and_the_answer_stays_the_same(runtime, catalogue):
    client = make_app(runtime, KX_LINK_REQUEST_LIMIT="2").test_client()
    apply_now(runtime, applicant(3), [catalogue])
    answers = [client.post(LINK, json={"email": "person3@example.org"}) for _ in range(4)]
    assert {a.status_code for a in answers} == {202} and len({a.get_data() for a in answers}) == 1
    assert len(events(runtime, "registration.application.link_replaced")) == 2


def test_past_the_address_limit_requests_are_refused_whatever_the_email(runtime):
    client = make_app(runtime, KX_LINK_REQUEST_ADDRESS_LIMIT="3").test_client()
    statuses = [client.post(LINK, json={"email": f"someone{n}@example.org"}).status_code for n in range(5)]
    assert statuses == [202, 202, 202, 429, 429]


def test_the_holder_replaces_the_link_and_past_the_limit_is_told_to_wait(runtime, catalogue):
    client = make_app(runtime, KX_LINK_REQUEST_LIMIT="1").test_client()
    token = apply_now(runtime, applicant(4), [catalogue]).manage_token
    assert client.post(f"/registration/api/applications/{token}/link").status_code == 202
    assert client.post(f"/registration/api/applications/{token}/link").status_code == 404, "the old one is gone"
    [(_type, data)] = events(runtime, "registration.application.link_replaced")
    new = unseal(runtime.settings, data["manage_token_sealed"])
    assert data["reason"] == "replaced"
    refused = client.post(f"/registration/api/applications/{new}/link")
    assert refused.status_code == 429 and refused.json["error"]["code"] == "rate_limited"
    assert client.get(f"/registration/api/applications/{new}").status_code == 200, "a refusal changes nothing"
