"""The applicant's pages: the catalogue, an exchange's page, and the application journey (one
question a page, check your answers, confirmation) through a browser-like client with CSRF on:
error summaries with every typed value kept, change links, clash warnings, per-exchange outcomes,
and a double click or refresh that applies once."""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from html import unescape

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from services.registration import create_app
from services.registration.jobs import forget_apply_drafts
from services.registration.models import Application, ApplyDraft, Booking
from services.registration.operations import apply_drafts
from services.registration.operations.catalogue import LONDON
from services.registration.views.apply import DRAFT, PAGE_OF, QUESTIONS
from shared.db import utcnow

from .conftest import NOW, STARTS, add_exchange, applicant, apply_now

#: every question's answers, in the order the journey asks them
ANSWERED = {
    "about-you": {"name": "Alex Example", "email": "alex@example.org", "organisation": "Example Trust",
                  "role": "Peer support worker"},
    "taking-part": {"participant_type": "experience", "stakeholder_group": "lived_experience"},
    "line-manager": {"line_manager_permission": "no_line_manager"},
    "sessions": {"will_attend_sessions": "yes"},
    "access-needs": {"access_needs": "Step-free access, please"},
    "language": {"language": "cy"},
    "privacy": {"privacy_notice_accepted": "yes"},
}


class Browser:
    """A test client that sends back the CSRF token of the last page it read, as a browser would."""

    def __init__(self, client):
        self.client, self.token = client, None

    def get(self, url, **kwargs):
        response = self.client.get(url, **kwargs)
        found = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
        self.token = found.group(1) if found else self.token
        return response

    def post(self, url, data=None, **kwargs):
        return self.client.post(url, data={"csrf_token": self.token, **(data or {})}, **kwargs)

    def answer(self, slug, data, change=False):
        url = f"/registration/apply/{slug}" + ("?change=1" if change else "")
        self.get(url)
        return self.post(url, data)


@pytest.fixture
def browser(runtime):
    """CSRF on, as in production (the shared `app` fixture turns it off)."""
    app = create_app({"KX_RUNTIME": runtime, "TESTING": True, "KX_APPLY_RATE_LIMIT": "0"})
    return Browser(app.test_client())


def answer_all(browser, exchange_ids, **changes) -> None:
    for slug, data in {**ANSWERED, "exchanges": {"exchange_ids": [str(i) for i in exchange_ids]}}.items():
        response = browser.answer(slug, {**data, **changes.get(slug, {})})
        assert response.status_code == 303, (slug, response.get_data(as_text=True)[:2000])


def send(browser):
    page = browser.get("/registration/apply/check").get_data(as_text=True)
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    return browser.post("/registration/apply/send", {"idempotency_key": key}), key


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def count(runtime, model) -> int:
    with runtime.session() as session:
        return session.scalar(select(func.count()).select_from(model))


# --- the catalogue and an exchange's page ---------------------------------------------------------


def test_the_catalogue_groups_exchanges_by_theme_and_sub_theme_with_their_facts(client, runtime, catalogue):
    add_exchange(runtime, title="Peer support workers", theme="T2", subtheme=None, time_commitment="Half a day")
    page = text(client.get("/registration/"))
    assert page.index("T1 Transforming") < page.index("T1.1 Open access care") < page.index("Open access crisis café")
    assert page.index("T2 Redefining") < page.index("Peer support workers")
    for fact in ("Example Valleys Health Board", "Example Community Hub, Aberystwyth", "3 places left",
                 "Half a day", "Book by", "Orientation session", "Reflection session", "10:00am to 2:00pm"):
        assert fact in page
    assert "10:00 tan 14:00" in text(client.get("/registration/?lang=cy")), "CLDR's Welsh times: 24-hour"


def test_the_catalogue_gives_dates_in_the_pages_language_whichever_was_asked_first(client, catalogue):
    from babel.dates import format_date

    day = {lang: format_date(STARTS.astimezone(LONDON).date(), "EEEE d MMMM yyyy", locale=lang) for lang in ("en", "cy")}
    for lang, other in (("cy", "en"), ("en", "cy"), ("cy", "en")):
        page = text(client.get(f"/registration/?lang={lang}"))
        assert day[lang] in page and day[other] not in page


def test_the_catalogue_counts_places_left_afresh_after_each_application(client, runtime, catalogue):
    assert "3 places left" in text(client.get("/registration/"))
    apply_now(runtime, applicant(1), [catalogue])
    assert "2 places left" in text(client.get("/registration/"))


def test_a_full_exchange_says_join_the_waiting_list_and_a_closed_one_says_so(client, runtime, catalogue):
    for n in range(1, 4):
        apply_now(runtime, applicant(n), [catalogue])
    add_exchange(runtime, title="Closed one", booking_closes_at=NOW - timedelta(days=1))
    page = text(client.get("/registration/"))
    assert "Full — join the waiting list" in page and "Booking has closed" in page


def test_the_catalogue_filters_by_theme_town_and_day(client, runtime, catalogue):
    add_exchange(runtime, title="Workforce in Bangor", theme="T2", subtheme=None,
                 location={"site": "Example Hall", "town": "Bangor"}, starts=STARTS + timedelta(days=1))
    assert "Workforce in Bangor" not in text(client.get("/registration/?theme=T1.1"))
    by_town = text(client.get("/registration/?town=bangor"))
    assert "Workforce in Bangor" in by_town and "Open access crisis café" not in by_town
    by_day = text(client.get(f"/registration/?date={STARTS.date().isoformat()}"))
    assert "Open access crisis café" in by_day and "Workforce in Bangor" not in by_day


def test_a_malformed_filter_is_named_beside_its_field(client, catalogue):
    response = client.get("/registration/?date=tomorrow")
    page = text(response)
    assert response.status_code == 422 and "There is a problem" in page and 'id="date-error"' in page
    assert "<title>Error:" in page and "Open access crisis café" in page


def test_an_exchange_page_shows_the_hosts_description_and_learning_outcomes(client, catalogue):
    page = text(client.get(f"/registration/exchanges/{catalogue}"))
    assert "An illustrative exchange." in page and "How open access works" in page
    assert f'href="/registration/apply/?exchange={catalogue}"' in page


def test_the_api_answers_in_utc_while_pages_show_london_time(client, runtime, catalogue):
    summer = datetime(2027, 6, 10, 10, 0, tzinfo=LONDON)  # BST: 09:00 UTC
    exchange_id = add_exchange(runtime, title="A summer exchange", starts=summer)
    data = client.get(f"/registration/api/exchanges/{exchange_id}").get_json()
    assert data["starts_at"] == "2027-06-10T09:00:00+00:00"
    assert datetime.fromisoformat(data["ends_at"]) == summer + timedelta(hours=4)
    assert "10:00am to 2:00pm" in text(client.get(f"/registration/exchanges/{exchange_id}"))


def test_the_day_filter_offers_the_london_day_of_an_exchange_just_after_midnight(client, runtime, catalogue):
    add_exchange(runtime, title="Early start", starts=datetime(2027, 6, 11, 0, 30, tzinfo=LONDON))  # 23:30 UTC on the 10th
    page = text(client.get("/registration/"))
    assert 'value="2027-06-11"' in page and 'value="2027-06-10"' not in page


def test_an_unknown_exchange_is_a_404_page(client, catalogue):
    response = client.get("/registration/exchanges/999")
    assert response.status_code == 404 and "Page not found" in text(response)


# --- the journey ----------------------------------------------------------------------------------


def test_an_applicant_goes_from_an_exchange_page_to_a_confirmed_place(browser, runtime, catalogue):
    start = browser.get(f"/registration/apply/?exchange={catalogue}")
    assert "You are applying for: Open access crisis café" in text(start)
    first = re.search(r'href="([^"]+)">Start now', text(start)).group(1)
    assert first == "/registration/apply/about-you"
    for slug, data in ANSWERED.items():
        assert browser.answer(slug, data).headers["Location"].endswith(
            QUESTIONS[[q.slug for q in QUESTIONS].index(slug) + 1].slug)
    choose = text(browser.get("/registration/apply/exchanges"))
    assert re.search(rf'value="{catalogue}" checked', choose), "the Apply button pre-selects its exchange"
    assert browser.answer("exchanges", {"exchange_ids": [str(catalogue)]}).headers["Location"].endswith("/check")
    sent, _key = send(browser)
    assert sent.status_code == 303 and sent.headers["Location"].endswith("/registration/apply/confirmation")
    page = text(browser.get("/registration/apply/confirmation"))
    assert "Application sent" in page and "Confirmed" in page and "alex@example.org" in page
    link = re.search(r'href="(http://localhost/registration/manage/[A-Za-z0-9_-]{43})"', page)
    assert link, "the manage link is an absolute URL"
    with runtime.session() as session:
        row = session.scalars(select(Application)).one()
    assert (row.name, row.participant_type, row.language, row.access_needs, row.line_manager_permission) == (
        "Alex Example", "experience", "cy", "Step-free access, please", "no_line_manager")


def test_every_question_page_refuses_a_post_without_its_csrf_token(browser, catalogue):
    for question in QUESTIONS:
        assert browser.client.post(f"/registration/apply/{question.slug}", data={}).status_code == 400
    assert browser.client.post("/registration/apply/send", data={"idempotency_key": "k"}).status_code == 400


def test_a_question_page_with_errors_shows_the_summary_each_message_and_keeps_what_was_typed(browser, catalogue):
    response = browser.answer("about-you", {"name": "  ", "email": "alex.example.org", "organisation": "Example Trust",
                                            "role": "Nurse <lead>"})
    page = text(response)
    assert response.status_code == 422 and "<title>Error:" in page and "There is a problem" in page
    assert 'href="#name"' in page and 'href="#email"' in page
    assert 'id="name-error"' in page and "Enter your full name." in page
    assert 'id="email-error"' in page and "Enter an email address in the correct format" in page
    assert 'value="alex.example.org"' in page and 'value="Example Trust"' in page
    assert 'value="Nurse &lt;lead&gt;"' in response.get_data(as_text=True)
    assert 'aria-describedby="email-hint email-error"' in page


@pytest.mark.parametrize(("slug", "data", "field", "message"), [
    ("taking-part", {}, "participant_type", "Say how you take part"),
    ("taking-part", {"participant_type": "robot"}, "participant_type", "Choose expert by occupation"),
    ("line-manager", {}, "line_manager_permission", "Say whether your line manager has given permission"),
    ("sessions", {}, "will_attend_sessions", "Confirm that you can attend"),
    ("access-needs", {"access_needs": "x" * 2001}, "access_needs", "Enter 2000 characters or fewer."),
    ("language", {"language": "fr"}, "language", "Choose English (en) or Cymraeg (cy)."),
    ("privacy", {}, "privacy_notice_accepted", "Accept the privacy notice to apply."),
    ("exchanges", {}, "exchange_ids", "Choose at least one exchange."),
    ("exchanges", {"exchange_ids": ["999"]}, "exchange_ids", "There is no exchange 999."),
    ("exchanges", {"exchange_ids": ["abc"]}, "exchange_ids", "Exchange ids are whole numbers."),
])
def test_each_question_says_what_is_wrong_with_the_apis_own_message(browser, catalogue, slug, data, field, message):
    response = browser.answer(slug, data)
    page = text(response)
    assert response.status_code == 422 and f'href="#{field}"' in page and f'id="{field}-error"' in page
    assert message in page and f'id="{field}"' in page, "the summary's link lands on the field"


def test_a_long_answer_that_is_refused_is_shown_again_in_full(browser, catalogue):
    typed = "Quiet room " * 200
    page = text(browser.answer("access-needs", {"access_needs": typed}))
    assert typed.strip() in page


def test_check_your_answers_shows_every_answer_with_a_change_link(browser, catalogue):
    answer_all(browser, [catalogue])
    page = text(browser.get("/registration/apply/check"))
    for shown in ("Alex Example", "alex@example.org", "Example Trust", "Peer support worker", "Expert by experience",
                  "Lived experience", "I do not have a line manager", "Step-free access, please", "Cymraeg", "Read and agreed",
                  "Open access crisis café"):
        assert shown in page
    changes = re.findall(r'href="/registration/apply/([a-z-]+)\?change=1#([a-z_]+)"', page)
    assert {slug for slug, _field in changes} == {q.slug for q in QUESTIONS}
    assert len(changes) == 12 and 'name="idempotency_key"' in page


def test_a_change_link_returns_to_check_your_answers(browser, catalogue):
    answer_all(browser, [catalogue])
    page = text(browser.get("/registration/apply/about-you?change=1"))
    assert 'value="Alex Example"' in page and 'class="kx-back-link" href="/registration/apply/check"' in page
    response = browser.answer("about-you", {**ANSWERED["about-you"], "name": "Sam Example"}, change=True)
    assert response.status_code == 303 and response.headers["Location"] == "/registration/apply/check"
    assert "Sam Example" in text(browser.get("/registration/apply/check"))


@pytest.mark.parametrize(("slug", "sent", "asked"), [
    ("about-you", {}, {"name", "email"}),
    ("about-you", {"name": "Sam Example"}, {"email"}),
    ("taking-part", {"stakeholder_group": "lived_experience"}, {"participant_type"}),
    ("line-manager", {}, {"line_manager_permission"}),
    ("sessions", {}, {"will_attend_sessions"}),
    ("privacy", {}, {"privacy_notice_accepted"}),
])
def test_a_question_page_sent_without_an_answer_given_before_asks_for_it_and_changes_nothing(
        browser, catalogue, slug, sent, asked):
    """A crafted form that leaves out a field answered earlier: the page asks for it again (422) and
    every answer stays as it was, rather than the earlier answer passing the check and then being lost."""
    def answers_shown() -> str:  # check your answers, without its one-time keys
        return re.sub(r'<input type="hidden"[^>]*>', "", text(browser.get("/registration/apply/check")))

    answer_all(browser, [catalogue])
    before = answers_shown()
    response = browser.answer(slug, sent, change=True)
    assert response.status_code == 422
    page = text(response)
    assert "There is a problem" in page and all(f'href="#{name}' in page for name in asked), page[:3000]
    assert answers_shown() == before


def test_a_question_page_changes_only_its_own_answers_whatever_else_the_form_carries(browser, catalogue):
    answer_all(browser, [catalogue])
    response = browser.answer("language", {"language": "en", "name": "Mallory", "email": "mallory@example.org",
                                           "access_needs": "", "participant_type": "occupation"}, change=True)
    assert response.status_code == 303
    page = text(browser.get("/registration/apply/check"))
    assert "Alex Example" in page and "alex@example.org" in page and "Step-free access, please" in page
    assert "Expert by experience" in page and "Mallory" not in page and "English" in page


def test_check_your_answers_sends_an_unfinished_application_to_its_first_unanswered_question(browser, catalogue):
    browser.answer("about-you", ANSWERED["about-you"])
    response = browser.get("/registration/apply/check")
    assert response.status_code == 302 and response.headers["Location"] == "/registration/apply/taking-part"


def test_check_your_answers_warns_of_two_exchanges_on_one_day(browser, runtime, catalogue):
    same_day = add_exchange(runtime, title="Afternoon visit", starts=STARTS + timedelta(hours=5))
    answer_all(browser, [catalogue, same_day])
    page = text(browser.get("/registration/apply/check"))
    assert "Open access crisis café and Afternoon visit are on the same day" in page and "kx-warning-text" in page


def test_check_your_answers_warns_when_a_session_falls_during_another_visit(browser, runtime, catalogue):
    clash = add_exchange(runtime, title="Later visit", starts=STARTS + timedelta(days=3),
                         orientation={"starts_at": STARTS + timedelta(hours=1), "url": None})
    answer_all(browser, [catalogue, clash])
    page = text(browser.get("/registration/apply/check"))
    assert "The orientation session of Later visit" in page and "is during Open access crisis café" in page


def test_no_warning_for_exchanges_on_different_days(browser, runtime, catalogue):
    other = add_exchange(runtime, title="Next week", starts=STARTS + timedelta(days=3))
    answer_all(browser, [catalogue, other])
    assert "kx-warning-text" not in text(browser.get("/registration/apply/check"))


def test_the_confirmation_shows_confirmed_waiting_list_position_closed_and_already_booked(browser, runtime, catalogue):
    full = add_exchange(runtime, title="Full visit", capacity=1, starts=STARTS + timedelta(days=2))
    apply_now(runtime, applicant(1), [full])
    apply_now(runtime, applicant(2), [full])  # waiting list 1
    closing = add_exchange(runtime, title="Closing visit", starts=STARTS + timedelta(days=4),
                           booking_closes_at=NOW + timedelta(hours=1))
    booked = add_exchange(runtime, title="Booked before", starts=STARTS + timedelta(days=6))
    apply_now(runtime, applicant(3, email="alex@example.org"), [booked])
    answer_all(browser, [catalogue, full, closing, booked])
    with runtime.session() as session, session.begin():  # closes while the applicant checks the answers
        from services.registration.operations import set_closed

        set_closed(session, closing, True)
    send(browser)
    page = text(browser.get("/registration/apply/confirmation"))
    assert "Confirmed" in page and "On the waiting list: number 2" in page
    assert "Not booked: booking has closed" in page and "You had already booked this one" in page


def test_a_double_click_or_a_refresh_applies_once(browser, runtime, catalogue):
    answer_all(browser, [catalogue])
    first, key = send(browser)
    again = browser.post("/registration/apply/send", {"idempotency_key": key})
    assert first.status_code == again.status_code == 303
    assert again.headers["Location"] == first.headers["Location"]
    pages = [text(browser.get("/registration/apply/confirmation")) for _ in range(2)]
    assert pages[0] == pages[1] and "Confirmed" in pages[0]
    assert count(runtime, Application) == 1 and count(runtime, Booking) == 1


def _draft(runtime, browser) -> dict | None:
    with browser.client.session_transaction() as cookie, runtime.session() as session, session.begin():
        return apply_drafts.load(session, runtime.settings.secret_key, cookie.get(DRAFT))


def test_sending_deletes_the_draft_of_the_answers_and_leaves_none_in_the_session(browser, runtime, catalogue):
    answer_all(browser, [catalogue])
    assert _draft(runtime, browser)["answers"]["access_needs"] == "Step-free access, please"
    send(browser)
    with browser.client.session_transaction() as session:
        assert DRAFT not in session and "Step-free access" not in repr(dict(session))
    assert count(runtime, ApplyDraft) == 0


def test_following_apply_buttons_before_answering_writes_no_draft(browser, runtime, catalogue):
    other = add_exchange(runtime, title="Another visit")
    for exchange_id in (catalogue, other):
        assert browser.get(f"/registration/apply/?exchange={exchange_id}").status_code == 200
    assert count(runtime, ApplyDraft) == 0
    browser.answer("about-you", ANSWERED["about-you"])
    assert count(runtime, ApplyDraft) == 1
    choose = text(browser.get("/registration/apply/exchanges"))
    assert re.search(rf'value="{catalogue}" checked', choose) and re.search(rf'value="{other}" checked', choose)


def test_a_draft_unused_for_two_hours_is_gone_and_the_job_deletes_what_is_left(browser, runtime, catalogue):
    answer_all(browser, [catalogue])
    later = utcnow() + timedelta(hours=2, minutes=1)
    assert forget_apply_drafts(runtime, utcnow()) == 0 and count(runtime, ApplyDraft) == 1
    with browser.client.session_transaction() as cookie, runtime.session() as session, session.begin():
        assert apply_drafts.load(session, runtime.settings.secret_key, cookie.get(DRAFT), later) is None
    assert count(runtime, ApplyDraft) == 0, "reading an expired draft deletes it"
    answer_all(browser, [catalogue])
    assert forget_apply_drafts(runtime, later) == 1 and count(runtime, ApplyDraft) == 0
    response = browser.get("/registration/apply/check")
    assert response.status_code == 302 and response.headers["Location"] == "/registration/apply/about-you"


def test_reading_a_page_keeps_a_draft_alive(browser, runtime, catalogue):
    answer_all(browser, [catalogue])
    with browser.client.session_transaction() as cookie, runtime.session() as session, session.begin():
        secret, draft_id = runtime.settings.secret_key, cookie.get(DRAFT)
        in_90_minutes = utcnow() + timedelta(minutes=90)
        assert apply_drafts.load(session, secret, draft_id, in_90_minutes) is not None
        assert apply_drafts.load(session, secret, draft_id, in_90_minutes + timedelta(minutes=90)) is not None


def test_no_page_showing_answers_is_kept_in_the_browsers_cache(browser, catalogue):
    answer_all(browser, [catalogue])
    shown = [browser.get(f"/registration/apply/{question.slug}") for question in QUESTIONS]
    refused = [browser.answer("access-needs", {"access_needs": "x" * 2001}),
               browser.answer("about-you", {**ANSWERED["about-you"], "email": "not an address"})]
    assert [r.status_code for r in refused] == [422, 422]
    for response in [*shown, *refused, browser.get("/registration/apply/check")]:
        assert response.headers.get("Cache-Control") == "no-store", response.request.path


def _cookie_session(browser) -> dict:
    """The session as anyone holding the cookie can read it: signed, not encrypted."""
    app = browser.client.application
    cookie = browser.client.get_cookie("kx_session")
    return app.session_interface.get_signing_serializer(app).loads(cookie.value) if cookie else {}


#: what was typed, long enough not to turn up by chance in a random id or token
TYPED = [value for answers in ANSWERED.values() for value in answers.values() if len(value) > 3]


def test_the_session_cookie_holds_no_answer_at_any_step_of_the_journey_nor_after_a_change(browser, runtime, catalogue):
    browser.get(f"/registration/apply/?exchange={catalogue}")
    for slug, data in {**ANSWERED, "exchanges": {"exchange_ids": [str(catalogue)]}}.items():
        assert browser.answer(slug, data).status_code == 303
        readable = repr(_cookie_session(browser))
        assert not [value for value in TYPED if value in readable], (slug, readable)
        assert not [name for name in PAGE_OF if name in readable], (slug, readable)
    changed = browser.answer("access-needs", {"access_needs": "A quiet room to rest in"}, change=True)
    assert changed.headers["Location"] == "/registration/apply/check"
    assert "A quiet room to rest in" not in repr(_cookie_session(browser))
    assert "A quiet room to rest in" in text(browser.get("/registration/apply/check"))
    sent, _key = send(browser)
    assert sent.status_code == 303
    with runtime.session() as session:
        assert session.scalars(select(Application.access_needs)).one() == "A quiet room to rest in"


def test_sending_with_nothing_answered_goes_back_to_the_start(browser, runtime, catalogue):
    browser.get("/registration/apply/about-you")
    response = browser.post("/registration/apply/send", {"idempotency_key": "fresh-key"})
    assert response.status_code == 302 and count(runtime, Application) == 0


def test_a_confirmation_without_an_application_sends_you_to_the_start(browser, catalogue):
    response = browser.get("/registration/apply/confirmation")
    assert response.status_code == 302 and response.headers["Location"] == "/registration/apply/"


def test_an_exchange_that_disappears_before_sending_is_named_on_check_your_answers(browser, runtime, catalogue):
    answer_all(browser, [catalogue])
    with browser.client.session_transaction() as cookie, runtime.session() as session, session.begin():
        secret = runtime.settings.secret_key
        state = apply_drafts.load(session, secret, cookie[DRAFT])
        state["answers"]["exchange_ids"] = [str(catalogue), "999"]
        apply_drafts.save(session, secret, cookie[DRAFT], state)
    response, _key = send(browser)
    page = text(response)
    assert response.status_code == 422 and "There is no exchange 999." in page
    assert 'href="/registration/apply/exchanges?change=1"' in page and count(runtime, Application) == 0


def test_the_web_form_respects_the_application_rate_limit(runtime, catalogue):
    app = create_app({"KX_RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False, "KX_APPLY_RATE_LIMIT": "1"})
    browser = Browser(app.test_client())
    answer_all(browser, [catalogue])
    assert send(browser)[0].status_code == 303
    answer_all(browser, [catalogue])
    response, _key = send(browser)
    assert response.status_code == 429 and "Too many applications" in text(response)


def test_an_unknown_question_is_a_404(browser):
    assert browser.get("/registration/apply/favourite-colour").status_code == 404


JUNK = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
form_values = st.lists(st.text(max_size=40), max_size=3)


@JUNK
@given(slug=st.sampled_from([q.slug for q in QUESTIONS] + ["send", "check", "x"]),
       form=st.dictionaries(st.sampled_from([name for q in QUESTIONS for name in q.fields] + ["idempotency_key", "z"]),
                            form_values, max_size=5))
def test_no_junk_form_post_gets_a_server_error(client, catalogue, slug, form):
    assert client.post(f"/registration/apply/{slug}", data=form).status_code < 500
    assert client.get(f"/registration/apply/{slug}", query_string={"change": "1"}).status_code < 500


@JUNK
@given(query=st.dictionaries(st.sampled_from(["theme", "date", "town", "exchange"]), st.text(max_size=20)))
@example(query={"exchange": "\u00b2"})  # "²".isdigit() is true, and int("²") fails
def test_no_junk_query_gets_a_server_error(client, catalogue, query):
    assert client.get("/registration/", query_string=query).status_code < 500
    assert client.get("/registration/apply/", query_string=query).status_code < 500


def test_answering_that_one_cannot_attend_the_sessions_explains_why_one_cannot_take_part(browser, catalogue):
    response = browser.answer("sessions", {"will_attend_sessions": "no"})
    assert response.status_code == 303 and response.headers["Location"].endswith("/registration/apply/cannot-take-part")
    page = text(browser.get("/registration/apply/cannot-take-part"))
    assert "You cannot take part in an exchange this time" in page and "There is a problem" not in page
    assert "watch their recordings" in page and 'href="/registration/apply/sessions?change=1"' in page


def test_someone_without_a_line_manager_says_so_and_applies(browser, runtime, catalogue):
    page = text(browser.get("/registration/apply/line-manager"))
    assert "I do not have a line manager" in page and "Not applicable" not in page
    answer_all(browser, [catalogue], **{"line-manager": {"line_manager_permission": "no_line_manager"}})
    check = text(browser.get("/registration/apply/check"))
    assert "I do not have a line manager" in check
    with runtime.session() as session:
        assert session.scalar(select(Application.line_manager_permission)) is None
    assert send(browser)[0].status_code == 303
    with runtime.session() as session:
        assert session.scalar(select(Application.line_manager_permission)) == "no_line_manager"


def test_the_privacy_notice_names_the_data_controller_and_a_contact(browser, catalogue):
    page = text(browser.get("/registration/apply/privacy"))
    assert "The data controller is Example Health Board." in page
    assert 'href="mailto:privacy@example.org"' in page
