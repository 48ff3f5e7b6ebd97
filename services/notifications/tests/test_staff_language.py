"""Emails to staff go in the language on their account (issue 16): the host told a summary came
back, the lead told a pack is ready, finance told a claim waits for them. One email per person, in
their language alone; an address with no account is written to in the event's language."""

from __future__ import annotations

from datetime import UTC, datetime

from shared import factories
from shared.events import make_envelope

from .conftest import drain, messages

WELSH_HOST, ENGLISH_HOST = "gwesteiwr@example.org", "host@example.org"


def _account(events, staff_id: int, email: str, language: str, roles=("host",), active=True, at=None) -> None:
    data = factories.staff_updated(staff_id, email, language, roles, active)
    envelope = make_envelope("registration", "registration.staff.updated", data)
    if at is not None:
        envelope["time"] = at.isoformat()
    events.deliver("registration.staff.updated", data, envelope)


def _returned(events, recipients) -> None:
    events.deliver("learning.summary.returned", {
        "exchange_id": 7, "theme": "T1", "version": 2, "title": "Crisis care in the community",
        "comment": "Please add the outcomes.", "recipients": recipients, "language": "en",
        "url": "/learning/exchanges/7/summary"})


def _submitted_claim(events, claimant="alex@example.org") -> None:
    events.deliver("expenses.claim.submitted", {
        "claim_id": 12, "exchange_id": 7, "claimant_email": claimant, "language": "en", "total_pence": 4270,
        "reason": None, "claimant_name": "Alex Example", "exchange_title": "Crisis care in the community",
        "url": None})


def test_a_host_with_welsh_on_their_account_gets_the_returned_summary_in_welsh_only(runtime, events, mail_server):
    _account(events, 1, "Gwesteiwr@Example.org", "cy")
    _account(events, 2, ENGLISH_HOST, "en")
    _returned(events, [WELSH_HOST, ENGLISH_HOST])
    drain(runtime)
    received = {r.email["To"]: r.email for r in mail_server.received}
    assert sorted(received) == [WELSH_HOST, ENGLISH_HOST]  # one each
    welsh = received[WELSH_HOST]
    assert welsh["Subject"] == "Mae eich crynodeb wedi'i ddychwelyd gyda sylw: Crisis care in the community"
    assert "Your summary" not in welsh.get_body(("plain",)).get_content()
    assert received[ENGLISH_HOST]["Subject"] == ("Your summary has been returned with a comment: "
                                                 "Crisis care in the community")


def test_an_address_with_no_account_is_written_to_in_the_events_language(runtime, events):
    _returned(events, ["shared.mailbox@example.org"])
    [message] = messages(runtime)
    assert message.language == "en"


def test_a_welsh_pack_tells_its_welsh_lead_in_welsh(runtime, events, mail_server):
    _account(events, 3, "arweinydd@example.org", "cy", roles=("theme_lead",))
    events.deliver("learning.pack.generated", {
        "theme": "T1", "pages": 12, "sha256": "a" * 64, "title": "Gofal mewn argyfwng", "language": "cy",
        "recipients": ["arweinydd@example.org"], "url": "/learning/themes/T1/pack.pdf?lang=cy"})
    drain(runtime)
    [received] = mail_server.received
    assert received.email["Subject"] == "Mae'r pecyn gweithdy'n barod: Gofal mewn argyfwng"
    assert "lang=cy" in received.email.get_body(("plain",)).get_content()


def test_finance_are_told_of_a_claim_to_decide_each_in_their_own_language(runtime, events, mail_server):
    _account(events, 4, "cyllid@example.org", "cy", roles=("finance",))
    _account(events, 5, "finance@example.org", "en", roles=("finance", "admin"))
    _account(events, 6, "gone@example.org", "en", roles=("finance",), active=False)
    _account(events, 7, "admin@example.org", "en", roles=("admin",))
    _submitted_claim(events)
    drain(runtime)
    received = {r.email["To"]: r.email for r in mail_server.received}
    assert sorted(received) == ["alex@example.org", "cyllid@example.org", "finance@example.org"]
    welsh, english = received["cyllid@example.org"], received["finance@example.org"]
    assert welsh["Subject"] == "Mae hawliad treuliau yn aros am benderfyniad: hawliad 12"
    assert "Mae hawliad treuliau 12 am £42.70 (Crisis care in the community)" in welsh.get_body(("plain",)).get_content()
    assert english["Subject"] == "An expenses claim is waiting for a decision: claim 12"
    text = english.get_body(("plain",)).get_content()
    assert "https://kx.example.org/expenses/finance/claims/12" in text
    assert "Alex Example" not in text  # the reference is enough
    # the claimant's own email stays theirs, in their language
    assert received["alex@example.org"]["Subject"] == "We have received your expenses claim"


def test_a_finance_user_who_made_the_claim_is_not_asked_to_decide_it(runtime, events):
    _account(events, 4, "finance@example.org", "en", roles=("finance",))
    _submitted_claim(events, claimant="Finance@Example.org")
    assert [m.template for m in messages(runtime)] == ["claim_submitted"]


def test_only_a_claim_sent_to_finance_tells_finance(runtime, events):
    _account(events, 4, "finance@example.org", "en", roles=("finance",))
    events.deliver("expenses.claim.approved", {
        "claim_id": 12, "exchange_id": 7, "claimant_email": "alex@example.org", "language": "en",
        "total_pence": 4270, "reason": None})
    assert [m.recipient for m in messages(runtime)] == ["alex@example.org"]


def test_a_change_of_language_changes_the_next_email_and_an_older_event_does_not_undo_it(runtime, events):
    _account(events, 1, WELSH_HOST, "en", at=datetime(2030, 1, 1, tzinfo=UTC))
    _account(events, 1, WELSH_HOST, "cy", at=datetime(2030, 1, 3, tzinfo=UTC))
    _account(events, 1, WELSH_HOST, "en", at=datetime(2030, 1, 2, tzinfo=UTC))  # late, and older
    _returned(events, [WELSH_HOST])
    [message] = messages(runtime)
    assert message.language == "cy"


def test_a_new_payment_run_asks_every_other_finance_user_to_approve_it_in_their_language(runtime, events,
                                                                                          mail_server):
    _account(events, 4, "cyllid@example.org", "cy", roles=("finance",))
    _account(events, 5, "finance@example.org", "en", roles=("finance",))
    _account(events, 6, "maker@example.org", "en", roles=("finance",))
    events.deliver("expenses.payment_run.created", {"run_id": 3, "claims": 2, "total_pence": 12000, "made_by": 6,
                                                    "url": "/expenses/finance/runs/3"})
    drain(runtime)
    received = {r.email["To"]: r.email for r in mail_server.received}
    assert sorted(received) == ["cyllid@example.org", "finance@example.org"]  # not its maker
    assert received["cyllid@example.org"]["Subject"] == "Mae rhediad talu yn aros i chi ei gymeradwyo: rhediad 3"
    english = received["finance@example.org"]
    assert english["Subject"] == "A payment run is waiting for your approval: run 3"
    text = english.get_body(("plain",)).get_content()
    assert "pays 2 claims, £120.00 in all" in text and "https://kx.example.org/expenses/finance/runs/3" in text
