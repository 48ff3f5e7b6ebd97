"""Events exactly as the contract's table lists them, each valid against its schema in
shared/events (the `events()` helper parses every outbox row as a consumer would)."""

from __future__ import annotations

import hashlib
import json
from datetime import timedelta

from services.registration.operations import (
    cancel_booking,
    record_attendance,
    set_capacity,
    set_closed,
)
from services.registration.operations.catalogue import republish_all
from shared.link_seal import unseal

from .conftest import STARTS, add_exchange, applicant, apply_now, events


def test_applying_emits_confirmed_then_waitlisted_with_the_manage_token_sealed_and_the_exchange(runtime, catalogue):
    results = [apply_now(runtime, applicant(n), [catalogue]) for n in range(1, 5)]
    booked = events(runtime, "registration.booking.")
    assert [kind for kind, _ in booked] == ["registration.booking.confirmed"] * 3 + ["registration.booking.waitlisted"]
    kind, data = booked[3]
    token = results[3].manage_token
    assert "manage_token" not in data and token not in json.dumps(data), "never in clear on the bus"
    assert unseal(runtime.settings, data["manage_token_sealed"]) == token
    assert data["manage_token_hash"] == hashlib.sha256(token.encode()).hexdigest()
    assert data["waitlist_position"] == 1
    assert data["applicant"] == {"name": "Person 4 Example", "email": "person4@example.org", "language": "en",
                                 "participant_type": "occupation", "stakeholder_group": "health"}
    assert data["exchange"]["title"] == "Open access crisis café"
    assert data["exchange"]["orientation"]["url"] == "https://example.org/orientation"
    assert (data["exchange_id"], data["application_id"]) == (catalogue, results[3].application.id)


def test_a_promotion_is_announced_without_the_sealed_manage_token_but_with_its_hash(runtime, catalogue):
    results = [apply_now(runtime, applicant(n), [catalogue]) for n in range(1, 5)]
    with runtime.session() as session, session.begin():
        cancel_booking(session, results[0].manage_token, catalogue)
    (_, cancelled), (_, promoted) = events(runtime, "registration.booking.")[-2:]
    assert unseal(runtime.settings, cancelled["manage_token_sealed"]) == results[0].manage_token
    assert promoted["application_id"] == results[3].application.id
    assert promoted["manage_token_sealed"] is None and promoted["waitlist_position"] is None
    assert promoted["manage_token_hash"] == hashlib.sha256(results[3].manage_token.encode()).hexdigest()


def test_nothing_is_emitted_for_already_booked_or_closed(runtime, catalogue):
    apply_now(runtime, applicant(1), [catalogue])
    before = len(events(runtime))
    apply_now(runtime, applicant(1), [catalogue])
    with runtime.session() as session, session.begin():
        set_closed(session, catalogue, True)
    apply_now(runtime, applicant(2), [catalogue])
    assert [kind for kind, _ in events(runtime)[before:]] == ["registration.exchange.updated"]


def test_exchange_changes_publish_the_exchange_as_the_api_shows_it(client, runtime, catalogue):
    with runtime.session() as session, session.begin():
        set_capacity(session, catalogue, 8)
    kind, data = events(runtime, "registration.exchange.")[-1]
    assert kind == "registration.exchange.updated"
    shown = client.get(f"/registration/api/exchanges/{catalogue}").get_json()
    assert data["host"].pop("accounts") == ["host@example.org"]
    # less kx's additions to the answer (`draft` among them: only a published exchange is announced;
    # the time commitment, in either language, is for the catalogue's page alone)
    assert data == {k: v for k, v in shown.items()
                    if k not in ("time_commitment", "time_commitment_cy", "reserved_places", "draft")}


def test_attendance_is_announced_with_the_applicant_and_stage(runtime, catalogue):
    result = apply_now(runtime, applicant(1), [catalogue])
    with runtime.session() as session, session.begin():
        record_attendance(session, catalogue, "person1@example.org", "exchange", True, staff_id=3,
                          now=STARTS + timedelta(hours=1))
    assert events(runtime, "registration.attendance.recorded") == [("registration.attendance.recorded", {
        "exchange_id": catalogue, "application_id": result.application.id, "email": "person1@example.org",
        "stage": "exchange", "attended": True})]


def test_access_needs_never_travel_on_the_bus(runtime, catalogue):
    other = add_exchange(runtime, title="Other")
    apply_now(runtime, applicant(1, access_needs="A very particular need"), [catalogue, other])
    assert "particular need" not in json.dumps(events(runtime))


def test_republishing_sends_every_exchange_again_with_its_theme_and_changes_nothing_here(runtime, catalogue):
    """`kx exchanges republish`: one `registration.exchange.updated` per exchange, as it is now, for
    copies that gained a field after the exchange was published (notifications' theme)."""
    other = add_exchange(runtime, title="Peer support workers", theme="T2", subtheme=None)
    published = len(events(runtime))
    with runtime.session() as session, session.begin():
        assert republish_all(session) == 2
    again = events(runtime)[published:]
    assert [(kind, data["id"], data["theme"]) for kind, data in again] == [
        ("registration.exchange.updated", catalogue, "T1"), ("registration.exchange.updated", other, "T2")]


def test_kx_exchanges_republish_says_how_many_it_sent(tmp_path, monkeypatch):
    from click.testing import CliRunner

    from shared.cli import main
    from shared.testing import embedded_env

    for name, value in embedded_env(tmp_path / "var", KX_DEMO="0").items():
        monkeypatch.setenv(name, value)
    done = CliRunner().invoke(main, ["exchanges", "republish"])
    assert done.exit_code == 0 and "0 exchange(s) published again" in done.output, done.output
