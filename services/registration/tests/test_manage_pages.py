"""The applicant's manage page: bookings with their status, cancelling with a confirm step (and the
waiting list moving up), the links to feedback and expenses, and a friendly 404 for any other token."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from services.registration import create_app
from services.registration.models import Booking

from .conftest import add_exchange, applicant, apply_now, events


@pytest.fixture
def browser(runtime):
    """CSRF on, as in production."""
    return create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client()


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def csrf(page: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def statuses(runtime, exchange_id) -> dict[str, tuple]:
    with runtime.session() as session:
        rows = session.execute(select(Booking.email_folded, Booking.status, Booking.waitlist_position)
                               .where(Booking.exchange_id == exchange_id)).all()
    return {email: (status, position) for email, status, position in rows}


def test_the_manage_page_lists_each_booking_with_its_status(client, runtime, catalogue):
    full = add_exchange(runtime, title="Small visit", capacity=1)
    apply_now(runtime, applicant(1), [full])
    token = apply_now(runtime, applicant(2), [catalogue, full]).manage_token
    response = client.get(f"/registration/manage/{token}")
    page = text(response)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert "Person 2 Example" in page and "Open access crisis café" in page and "Small visit" in page
    assert "Confirmed" in page and "On the waiting list: number 1" in page
    assert page.count("/cancel\"") == 2


@pytest.mark.parametrize(("language", "title"), [("en", "Your bookings"), ("cy", "Eich archebion")])
def test_the_manage_page_is_titled_your_bookings_and_offers_a_new_link_once(client, runtime, catalogue, language,
                                                                             title):
    token = apply_now(runtime, applicant(1), [catalogue]).manage_token
    page = text(client.get(f"/registration/manage/{token}?lang={language}"))
    shown = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    assert shown.split(" – ")[0] == title, shown  # the browser's tab and history, with no markup in them
    assert page.count("/link\"") == 1, "one 'Get a new link' form, in the page"


def test_cancelling_asks_first_then_cancels_and_promotes_the_next_in_line(browser, runtime, catalogue):
    places = [apply_now(runtime, applicant(n), [catalogue]).manage_token for n in range(1, 4)]
    waiting = apply_now(runtime, applicant(4), [catalogue]).manage_token
    confirm = browser.get(f"/registration/manage/{places[0]}/bookings/{catalogue}/cancel")
    page = text(confirm)
    assert confirm.status_code == 200 and "Are you sure you want to cancel your booking?" in page
    assert "Your place will go to the next person on the waiting list" in page
    assert statuses(runtime, catalogue)["person1@example.org"][0] == "confirmed", "asking changes nothing"
    done = browser.post(f"/registration/manage/{places[0]}/bookings/{catalogue}/cancel",
                        data={"csrf_token": csrf(page)})
    assert done.status_code == 303
    after = text(browser.get(done.headers["Location"]))
    assert "You have cancelled your place on Open access crisis café." in after and "Cancelled" in after
    assert statuses(runtime, catalogue)["person4@example.org"] == ("confirmed", None)
    assert "Confirmed" in text(browser.get(f"/registration/manage/{waiting}"))
    assert [kind for kind, _data in events(runtime, "registration.booking.")][-2:] == [
        "registration.booking.cancelled", "registration.booking.promoted"]


def test_cancelling_without_the_csrf_token_is_refused_and_changes_nothing(browser, runtime, catalogue):
    token = apply_now(runtime, applicant(1), [catalogue]).manage_token
    assert browser.post(f"/registration/manage/{token}/bookings/{catalogue}/cancel").status_code == 400
    assert statuses(runtime, catalogue)["person1@example.org"][0] == "confirmed"


def test_cancelling_a_cancelled_booking_goes_back_to_the_manage_page(client, runtime, catalogue):
    token = apply_now(runtime, applicant(1), [catalogue]).manage_token
    client.post(f"/registration/manage/{token}/bookings/{catalogue}/cancel")
    again = client.get(f"/registration/manage/{token}/bookings/{catalogue}/cancel")
    assert again.status_code == 303 and again.headers["Location"] == f"/registration/manage/{token}"
    assert "Cancel" not in re.sub(r"Cancelled", "", text(client.get(f"/registration/manage/{token}")).split("<main")[1])


def test_cancelling_an_exchange_you_did_not_book_is_a_404(client, runtime, catalogue):
    other = add_exchange(runtime, title="Not mine")
    token = apply_now(runtime, applicant(1), [catalogue]).manage_token
    assert client.get(f"/registration/manage/{token}/bookings/{other}/cancel").status_code == 404
    assert client.post(f"/registration/manage/{token}/bookings/{other}/cancel").status_code == 404


@pytest.mark.parametrize(("method", "path"), [("get", "/registration/manage/{t}"),
                                              ("get", "/registration/manage/{t}/bookings/1/cancel"),
                                              ("post", "/registration/manage/{t}/bookings/1/cancel")])
@pytest.mark.parametrize("token", ["not-a-token", "x" * 43, "a" * 500, "%00", "%C3%A9"])
def test_an_unknown_token_gets_a_friendly_404_that_reveals_nothing(client, runtime, catalogue, method, path, token):
    apply_now(runtime, applicant(1), [catalogue])
    response = getattr(client, method)(path.format(t=token))
    page = text(response)
    assert response.status_code == 404 and "Person 1" not in page
    assert "Page not found" in page and "Use the link in your confirmation email" in page


def test_the_feedback_link_is_always_shown_and_expenses_only_to_experts_by_experience(client, runtime, catalogue):
    staff = apply_now(runtime, applicant(1, participant_type="occupation"), [catalogue]).manage_token
    lived = apply_now(runtime, applicant(2, participant_type="both"), [catalogue]).manage_token
    staff_page, lived_page = (text(client.get(f"/registration/manage/{t}")) for t in (staff, lived))
    assert f'href="/learning/manage/{staff}"' in staff_page and "/expenses/manage/" not in staff_page
    assert f'href="/learning/manage/{lived}"' in lived_page and f'href="/expenses/manage/{lived}"' in lived_page
