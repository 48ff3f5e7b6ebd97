"""One person, one link (issue 15): applying again with the manage token adds the bookings to the
same application, so the person keeps one link and one manage page; applying again without it, by
the same email (case-folded), joins that page too, and renews the one link by email only."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from services.registration import create_app
from services.registration.models import Application, Booking
from shared.link_seal import unseal

from .conftest import add_exchange, events
from .test_api_applications import application
from .test_apply_pages import Browser, answer_all, send, text

APPLY = "/registration/api/applications"


@pytest.fixture
def browser(runtime):
    """CSRF on, as in production."""
    return Browser(create_app({"KX_RUNTIME": runtime, "TESTING": True, "KX_APPLY_RATE_LIMIT": "0"}).test_client())


def test_applying_again_with_the_link_keeps_one_link_and_one_manage_page(client, runtime, catalogue):
    second = add_exchange(runtime, title="Second exchange")
    first = client.post(APPLY, json=application([catalogue])).get_json()
    again = client.post(APPLY, json=application([second], manage_token=first["manage_token"],
                                                applicant__email="PERSON1@example.org",
                                                applicant__organisation="New Trust"))
    assert again.status_code == 201
    body = again.get_json()
    assert body["manage_token"] == first["manage_token"] and body["application_id"] == first["application_id"]
    page = client.get(f"{APPLY}/{first['manage_token']}").get_json()
    assert sorted(b["exchange_id"] for b in page["bookings"]) == sorted([catalogue, second])
    assert page["applicant"]["organisation"] == "New Trust"
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1


def test_the_joined_bookings_events_carry_the_same_application_and_token_hash(client, runtime, catalogue):
    second = add_exchange(runtime, title="Second exchange")
    token = client.post(APPLY, json=application([catalogue])).get_json()["manage_token"]
    client.post(APPLY, json=application([second], manage_token=token))
    booked = [data for _, data in events(runtime, "registration.booking.confirmed")]
    assert len({(d["application_id"], d["manage_token_hash"]) for d in booked}) == 1 and len(booked) == 2


def test_applying_with_another_persons_link_is_refused_and_changes_nothing(client, runtime, catalogue):
    second = add_exchange(runtime, title="Second exchange")
    token = client.post(APPLY, json=application([catalogue], 1)).get_json()["manage_token"]
    refused = client.post(APPLY, json=application([second], 2, manage_token=token))
    assert refused.status_code == 422
    assert "applicant.email" in refused.get_json()["error"]["fields"]
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 1


def test_applying_with_a_link_that_opens_nothing_is_a_422_on_the_link(client, runtime, catalogue):
    refused = client.post(APPLY, json=application([catalogue], manage_token="unknown-token"))
    assert refused.status_code == 422 and set(refused.get_json()["error"]["fields"]) == {"manage_token"}
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 0


# --- the same, from the manage page -----------------------------------------------------------


def _journey_again(browser, token, exchange_id, **about_you):
    """From the manage page's "Apply for more exchanges" to the confirmation."""
    browser.get(f"/registration/manage/{token}")
    started = browser.post(f"/registration/manage/{token}/apply")
    assert started.status_code == 303 and started.headers["Location"].endswith("/registration/apply/exchanges")
    if about_you:
        page = text(browser.get("/registration/apply/about-you?change=1"))
        assert 'value="Person 1 Example"' in page, "the answers given before are filled in"
        assert browser.post("/registration/apply/about-you?change=1",
                            {**FILLED_ABOUT_YOU, **about_you}).status_code == 303
    assert browser.answer("exchanges", {"exchange_ids": [str(exchange_id)]}).status_code == 303
    return send(browser)[0]


FILLED_ABOUT_YOU = {"name": "Person 1 Example", "email": "person1@example.org", "organisation": "Example Trust",
                    "role": "Peer worker"}


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_applying_again_from_the_manage_page_starts_with_the_answers_and_keeps_the_one_link(
        browser, runtime, catalogue, lang):
    second = add_exchange(runtime, title="Second exchange")
    browser.get(f"/registration/?lang={lang}")
    token = client_apply(browser, catalogue)
    sent = _journey_again(browser, token, second)
    assert sent.status_code == 303
    confirmation = text(browser.get("/registration/apply/confirmation"))
    assert f"/registration/manage/{token}" in confirmation
    assert ("the same link as before" if lang == "en" else "un ddolen ag o'r blaen") in confirmation
    page = text(browser.get(f"/registration/manage/{token}"))
    assert "Open access crisis café" in page and "Second exchange" in page
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1


def test_changing_the_email_on_the_way_is_refused_on_the_check_page_and_books_nothing(browser, runtime, catalogue):
    second = add_exchange(runtime, title="Second exchange")
    token = client_apply(browser, catalogue)
    refused = _journey_again(browser, token, second, email="someone.else@example.org")
    assert refused.status_code == 422
    assert "Use the email address of the bookings you are adding to" in text(refused)
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Booking)) == 1


def test_apply_again_needs_a_link_that_opens_something(browser, catalogue):
    browser.get("/registration/apply/about-you")  # any page with a form, for its CSRF token
    assert browser.post("/registration/manage/unknown-token/apply").status_code == 404


def client_apply(browser, exchange_id) -> str:
    """A first application through the API (the same person, `application(...)`): its token."""
    return browser.client.post(APPLY, json=application([exchange_id])).get_json()["manage_token"]


# --- the same person applying again through the public journey, without the link ---------------


def test_applying_again_without_the_link_joins_the_one_manage_page_and_renews_the_one_link(client, runtime, catalogue):
    second = add_exchange(runtime, title="Second exchange")
    first = client.post(APPLY, json=application([catalogue])).get_json()
    again = client.post(APPLY, json=application([second], applicant__email="  PERSON1@Example.org "))
    assert again.status_code == 201
    body = again.get_json()
    assert body["application_id"] == first["application_id"]
    assert body["manage_token"] is None and body["link"] == "emailed", "the link goes to the address, not the screen"
    assert client.get(f"{APPLY}/{first['manage_token']}").status_code == 404, "the link sent before no longer works"
    [(_, submitted)] = events(runtime, "registration.application.submitted")[1:]
    assert submitted["link_replaced"] is True
    token = unseal(runtime.settings, submitted["manage_token_sealed"])
    page = client.get(f"{APPLY}/{token}").get_json()
    assert sorted(b["exchange_id"] for b in page["bookings"]) == sorted([catalogue, second])
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Application)) == 1


def test_every_booking_event_of_the_person_carries_the_one_application_and_its_current_link(client, runtime, catalogue):
    second = add_exchange(runtime, title="Second exchange")
    client.post(APPLY, json=application([catalogue]))
    client.post(APPLY, json=application([second], applicant__email="Person1@example.org"))
    booked = [data for _, data in events(runtime, "registration.booking.confirmed")]
    [(_, submitted)] = events(runtime, "registration.application.submitted")[1:]
    assert len({d["application_id"] for d in booked}) == 1
    assert booked[-1]["manage_token_hash"] == submitted["manage_token_hash"], \
        "learning and expenses learn the renewed link from the booking's own event"


def test_applying_with_someone_elses_email_shows_none_of_their_details_and_keeps_them(client, runtime, catalogue):
    second = add_exchange(runtime, title="Second exchange")
    client.post(APPLY, json=application([catalogue]))
    stranger = client.post(APPLY, json=application([second], applicant__name="Someone Else",
                                                   applicant__access_needs="", applicant__language="en"))
    body = stranger.get_json()
    assert body["manage_token"] is None
    assert [b["exchange_id"] for b in body["bookings"]] == [second], "only what this request booked"
    assert "Person 1" not in stranger.get_data(as_text=True) and "Step-free" not in stranger.get_data(as_text=True)
    with runtime.session() as session:
        person = session.scalar(select(Application))
        assert (person.name, person.access_needs, person.language) == ("Person 1 Example", "Step-free access", "cy")


def test_applying_again_without_the_link_for_nothing_new_changes_nothing(client, runtime, catalogue):
    first = client.post(APPLY, json=application([catalogue])).get_json()
    again = client.post(APPLY, json=application([catalogue], applicant__email="PERSON1@EXAMPLE.ORG")).get_json()
    assert again["bookings"][0]["status"] == "already_booked"
    assert (again["manage_token"], again["link"]) == (None, "unchanged")
    assert client.get(f"{APPLY}/{first['manage_token']}").status_code == 200, "the link still works"
    assert len(events(runtime, "registration.application.submitted")) == 1


@pytest.mark.parametrize("lang", ["en", "cy"])
def test_the_second_confirmation_says_the_link_was_emailed_and_shows_only_the_new_bookings(
        browser, runtime, catalogue, lang):
    second = add_exchange(runtime, title="Second exchange")
    token = client_apply(browser, catalogue)
    browser.get(f"/registration/?lang={lang}")
    answer_all(browser, [second], **{"about-you": {**FILLED_ABOUT_YOU, "email": "Person1@Example.org"}})
    assert send(browser)[0].status_code == 303
    page = text(browser.get("/registration/apply/confirmation"))
    assert "Second exchange" in page and "Open access crisis café" not in page
    assert "/registration/manage/" not in page
    assert ("We have emailed a new link" if lang == "en" else "Rydym wedi anfon dolen newydd") in page
    assert browser.client.get(f"{APPLY}/{token}").status_code == 404
