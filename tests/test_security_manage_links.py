"""Manage links are kept in clear nowhere but in the email that carries them (issue 14, contract
"Security rules"): not on the bus, in any service's tables (outboxes, notifications' links,
stored message bodies and attachments), the delivery log's API and pages, subject-access exports
or logs. The stored bodies show the link masked (`…/manage/abc…`); the email that goes out (the
embedded `.eml` file) carries the working link. An applicant who lost their link asks for it again
by email (202 whatever the email); one who fears it is out of their hands replaces it from the
manage page, and the old one then fails in every service.

A whole journey runs on the embedded setup (four apps, their workers in threads, the in-process
bus), with every log record captured before any redaction and every envelope as it is published.
"""

from __future__ import annotations

import email
import json
import re
import time
from datetime import UTC, datetime, timedelta
from email import policy
from pathlib import Path

import pytest

from shared.testing import wait_until
from tests.support.capture import logs_and_envelopes
from tests.support.journey import EMAIL, NAME, request_privacy, run_journey, start

LINK = re.compile(r"https?://[^\s\"<>]*/registration/manage/([A-Za-z0-9_-]{20,})")


@pytest.fixture
def captured(monkeypatch):
    with logs_and_envelopes(monkeypatch) as (lines, published):
        yield lines, published


@pytest.fixture
def system(tmp_path):
    started = start(tmp_path)
    yield started
    started.embedded.shutdown()


def mails(system, to: str = EMAIL, var_dir: Path | None = None) -> list[email.message.EmailMessage]:
    """The emails that went out (the `.eml` sink of the system, or under `var_dir`), oldest first."""
    folder = Path(var_dir or system.settings.var_dir) / "mail"
    found = [email.message_from_bytes(path.read_bytes(), policy=policy.default)
             for path in sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns)]
    return [m for m in found if m["To"] == to]


def text_of(message) -> str:
    return message.get_body(("plain",)).get_content()


def links_in(messages) -> list[str]:
    return [token for m in messages for token in LINK.findall(text_of(m))]


NEW_LINK = "Your new link to your bookings"


def new_links(system, to: str = EMAIL) -> list:
    """The `new_link` emails that went out to `to` (other messages of the journey may still be going)."""
    return [m for m in mails(system, to) if m["Subject"] == NEW_LINK]


def wait_for_new_links(system, count: int, to: str = EMAIL) -> list:
    return wait_until(lambda: (lambda found: found if len(found) >= count else None)(new_links(system, to)),
                      timeout=15, message=f"{count} new links to {to}")


def test_the_manage_token_is_in_clear_nowhere_but_the_email_that_carries_it(system, captured):
    lines, published = captured
    token = run_journey(system)["manage_token"]
    access = request_privacy(system, "access")
    system.quiet()

    admin = system.token()
    log = system.call("GET", f"/notifications/api/messages?to={EMAIL}").get_data(as_text=True)
    pages = [system.call("GET", f"/notifications/messages/{row['id']}", headers=admin).get_data(as_text=True)
             for row in json.loads(log)]
    export = system.call("GET", f"/registration/api/privacy/requests/{access['id']}/export.json").get_data(as_text=True)

    places = {"the bus": "\n".join(published), "the logs": "\n".join(lines), "the delivery log API": log,
              "the delivery log pages": "\n".join(pages), "the subject-access export": export}
    places.update({f"{service}'s tables": system.rows(service) for service in system.embedded.runtimes})
    found = [place for place, content in places.items() if token[:12] in content]
    assert not found, f"the manage token in clear in {', '.join(found)}"


    masked = f"/registration/manage/{token[:3]}…"
    assert masked in "\n".join(pages) and masked in export, "stored bodies show the link masked"
    sent = mails(system)
    assert sent and token in links_in(sent), "the email that goes out carries the working link"
    calendar = next(part for m in sent for part in m.iter_attachments() if part.get_filename().endswith(".ics"))
    assert token in calendar.get_content().replace("\r\n ", ""), "and so does its calendar file"


def test_asking_for_the_link_again_answers_202_for_any_email_and_mails_only_a_known_applicant(system):
    token = run_journey(system)["manage_token"]
    for address in (EMAIL, "nobody.known@example.org", EMAIL.upper()):
        answer = system.call("POST", "/registration/api/applications/link", 202, headers={}, json={"email": address})
        assert answer.get_data() == system.call("POST", "/registration/api/applications/link", 202, headers={},
                                                json={"email": "someone.else@example.org"}).get_data()
    system.quiet()
    # two requests for the known email (in any case): two new links, the second replacing the first
    sent = wait_for_new_links(system, 2)
    time.sleep(0.5)  # anything else queued would have gone by now
    assert mails(system, "nobody.known@example.org") == [] and mails(system, "someone.else@example.org") == []
    fresh = links_in(sent)
    assert len(fresh) == 2 and token not in fresh
    # each email carries the link current when it went: the second's, or the first's if it went before
    # the second request was handled (then that link no longer opens)
    assert 200 in {system.client.get(f"/registration/manage/{link}").status_code for link in fresh}
    assert system.client.get(f"/registration/manage/{token}").status_code == 404


def test_a_known_email_asking_again_and_again_is_limited_without_saying_so(system):
    run_journey(system)
    for _ in range(12):
        system.call("POST", "/registration/api/applications/link", 202, headers={}, json={"email": EMAIL})
    system.quiet()
    wait_for_new_links(system, 3)
    time.sleep(1)
    assert len(new_links(system)) == 3, "KX_LINK_REQUEST_LIMIT: 3 an hour"


@pytest.mark.parametrize("body", [{}, {"email": "not an address"}, {"email": 5}, [], {"email": "a@b.org", "x": 1}])
def test_asking_for_the_link_with_a_bad_body_is_refused_and_changes_nothing(system, body):
    answer = system.client.post("/registration/api/applications/link", json=body)
    assert answer.status_code in (400, 422), answer.get_data(as_text=True)


def test_replacing_the_link_from_the_manage_page_makes_the_old_one_fail_in_every_service(system):
    journey = run_journey(system)
    old, claim_id = journey["manage_token"], journey["claim_id"]
    page = system.client.get(f"/registration/manage/{old}").get_data(as_text=True)
    assert "Get a new link" in page
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    done = system.client.post(f"/registration/manage/{old}/link", data={"csrf_token": csrf})
    assert done.status_code == 200 and "We have emailed you a new link" in done.get_data(as_text=True)

    started = time.monotonic()
    old_pages = (f"/registration/manage/{old}", f"/registration/api/applications/{old}",
                 f"/learning/manage/{old}", f"/expenses/manage/{old}", f"/expenses/api/claims/{claim_id}?manage_token={old}")
    wait_until(lambda: all(system.client.get(path).status_code == 404 for path in old_pages),
               timeout=5, message="the old link to fail everywhere")
    assert time.monotonic() - started < 5

    [sent] = wait_for_new_links(system, 1)
    [new] = links_in([sent])
    assert new != old
    for path in (f"/registration/manage/{new}", f"/registration/api/applications/{new}", f"/learning/manage/{new}",
                 f"/expenses/manage/{new}"):
        assert system.client.get(path).status_code == 200, path


def _apply_again_without_the_link(system, title: str) -> dict:
    """The journey's applicant applies again through the public API, without their link, their
    email in capitals, for a new exchange still to come: the answer."""
    starts = (datetime.now(UTC) + timedelta(days=40)).replace(microsecond=0)
    exchange = system.call("POST", "/registration/api/exchanges", 201, json={
        "title": title, "theme": "T1", "host": {"name": "Example Health Board"},
        "location": {"site": "Example Hub", "town": "Bangor"}, "starts_at": starts.isoformat(),
        "ends_at": (starts + timedelta(hours=4)).isoformat(), "capacity": 5,
        "booking_closes_at": (starts - timedelta(days=10)).isoformat()}).json
    return system.call("POST", "/registration/api/applications", 201, headers={}, json={
        "applicant": {"name": "Someone typing", "email": EMAIL.upper(), "participant_type": "experience",
                      "language": "en"},
        "exchange_ids": [exchange["id"]], "line_manager_permission": "not_applicable",
        "will_attend_sessions": True, "privacy_notice_accepted": True}).json


def test_applying_again_without_the_link_emails_one_link_that_opens_every_booking_in_every_service(system):
    """Issue 15, one person, one link: the second application's email carries the person's one
    link, renewed; the one before fails everywhere; the new one opens the manage page with both
    bookings, learning's page and reflections, expenses' page and the claim already made."""
    journey = run_journey(system)
    old, claim_id, first_exchange = journey["manage_token"], journey["claim_id"], journey["exchange_id"]
    answer = _apply_again_without_the_link(system, "A second exchange")
    assert (answer["manage_token"], answer["link"]) == (None, "emailed"), "no link on the screen"

    confirmed = wait_until(lambda: [m for m in mails(system) if "A second exchange" in m["Subject"]],
                           timeout=15, message="the second application's email")
    [new] = set(links_in(confirmed))
    assert new != old and "The link we sent you before no longer works" in text_of(confirmed[0])
    wait_until(lambda: all(system.client.get(path).status_code == 404 for path in (
        f"/registration/manage/{old}", f"/learning/manage/{old}", f"/expenses/manage/{old}")),
        timeout=5, message="the old link to fail everywhere")

    page = system.client.get(f"/registration/manage/{new}").get_data(as_text=True)
    assert "An illustrative exchange" in page and "A second exchange" in page
    assert NAME in page and "Someone typing" not in page, "the person's details, as they gave them"
    for path in (f"/learning/manage/{new}", f"/expenses/manage/{new}",
                 f"/expenses/api/claims/{claim_id}?manage_token={new}"):
        assert system.client.get(path).status_code == 200, path
    system.call("PUT", "/learning/api/reflections", headers={}, json={
        "manage_token": new, "exchange_id": first_exchange, "text": "Still learning", "credit_as": NAME})


def test_a_person_who_applied_twice_asking_for_their_link_gets_one_email_with_one_link(system):
    old = run_journey(system)["manage_token"]
    _apply_again_without_the_link(system, "A second exchange")
    system.quiet()
    system.call("POST", "/registration/api/applications/link", 202, headers={}, json={"email": EMAIL})
    system.quiet()
    [sent] = wait_for_new_links(system, 1)
    time.sleep(0.5)  # anything else queued would have gone by now
    assert len(new_links(system)) == 1
    [new] = links_in([sent])
    assert new != old
    page = system.client.get(f"/registration/manage/{new}").get_data(as_text=True)
    assert "An illustrative exchange" in page and "A second exchange" in page


@pytest.mark.integration
def test_a_replaced_link_fails_in_every_service_within_5_seconds_on_rabbitmq_and_postgresql(
        rabbitmq, pg_schemas, tmp_path):
    """The same as docker-compose runs kx: `kx web` and `kx worker` of each service, separate
    processes; the new link arrives in the mail (the `.eml` sink) and opens every service."""

    from shared.config import load
    from shared.testing import delete_bus_namespace, distributed_env, free_port, staff_token
    from tests.support.processes import Processes, http, wait_for_http

    env = distributed_env(rabbitmq, pg_schemas, tmp_path / "var")
    settings, processes = load(env), Processes(env, tmp_path)
    try:
        assert processes.run("migrate").returncode == 0
        bases = {}
        for service in ("registration", "notifications", "learning", "expenses"):
            port = free_port()
            processes.start("web", service, "--port", str(port), "--host", "127.0.0.1", "--workers", "1")
            processes.start("worker", service)
            bases[service] = f"http://127.0.0.1:{port}/{service}"
        for base in bases.values():
            wait_for_http(f"{base}/healthz", timeout=60)
        admin = staff_token(settings, {"admin": []})
        starts = (datetime.now(UTC) + timedelta(days=30)).replace(microsecond=0)

        def post(path: str, body: dict, token: str | None = admin) -> dict:
            status, answer = http("POST", f"{bases['registration']}/api{path}", token=token, body=json.dumps(body).encode())
            assert status in (201, 202), answer
            return json.loads(answer)

        post("/themes", {"code": "T1", "title": "Theme"})
        exchange = post("/exchanges", {
            "title": "An exchange", "theme": "T1", "host": {"name": "Host"}, "location": {"site": "S", "town": "T"},
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=4)).isoformat(), "capacity": 5,
            "booking_closes_at": (starts - timedelta(days=10)).isoformat()})
        old = post("/applications", {
            "applicant": {"name": "Sam Example", "email": EMAIL, "organisation": "", "role": "",
                          "participant_type": "experience", "language": "en", "access_needs": ""},
            "exchange_ids": [exchange["id"]], "line_manager_permission": "not_applicable",
            "will_attend_sessions": True, "privacy_notice_accepted": True}, token=None)["manage_token"]
        pages = [f"{bases['registration']}/manage/{{}}", f"{bases['learning']}/manage/{{}}",
                 f"{bases['expenses']}/manage/{{}}"]
        wait_until(lambda: all(http("GET", page.format(old))[0] == 200 for page in pages), timeout=30,
                   message="every service to know the applicant")

        post(f"/applications/{old}/link", {}, token=None)
        started = time.monotonic()
        wait_until(lambda: all(http("GET", page.format(old))[0] == 404 for page in pages), timeout=5, interval=0.1,
                   message="the old link to fail in every service")
        assert time.monotonic() - started < 5

        new = wait_until(lambda: (lambda found: found[-1] if found and found[-1] != old else None)(
            links_in(mails(None, var_dir=settings.var_dir))), timeout=30, message="the new link's email")
        assert all(http("GET", page.format(new))[0] == 200 for page in pages)
    finally:
        processes.stop_all()
        delete_bus_namespace(settings)
