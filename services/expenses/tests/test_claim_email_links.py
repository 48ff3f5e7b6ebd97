"""Each claim email links to the claim: expenses names the claimant's application on its claim
events, and notifications puts that application's manage link, opening the claimant's page for the
claim, into the email (stored masked, working in the copy that goes out)."""

from __future__ import annotations

from sqlalchemy import select

from services.notifications.handlers import HANDLERS as NOTIFICATIONS_HANDLERS
from services.notifications.models import Message
from shared import factories
from shared.link_seal import seal
from shared.testing import Deliveries

from .conftest import TOKEN, cost, submit
from .test_bank_details_changed import envelopes


def test_the_claimants_emails_about_a_claim_link_to_their_page_for_it(client, bus, runtime, notifications, fin):
    mail = Deliveries(notifications, NOTIFICATIONS_HANDLERS)
    # registration's events carry the manage link sealed to notifications, which keeps it
    mail.deliver("registration.application.link_replaced",
                 factories.link_replaced(1, TOKEN, sealed=seal(notifications.settings, TOKEN)))
    claim = submit(client, [cost(500)]).json
    assert client.post(f"/expenses/api/claims/{claim['id']}/query", json={"question": "Which day?"},
                       headers=fin).status_code == 200
    events = [e for e in envelopes(runtime) if e["type"].startswith("expenses.claim.")]
    assert [e["type"] for e in events] == ["expenses.claim.submitted", "expenses.claim.queried"]
    for event in events:
        assert event["data"]["application_id"] == 1
        mail.deliver(event["type"], event["data"], envelope=event)
    with notifications.session() as session:
        sent = list(session.scalars(select(Message).where(Message.template.like("claim_%")).order_by(Message.id)))
    assert [m.template for m in sent] == ["claim_submitted", "claim_queried"]
    for message in sent:
        assert f"/expenses/manage/cla\u2026/claims/{claim['id']}" in message.text_body
        assert f"/expenses/manage/cla\u2026/claims/{claim['id']}" in message.html_body
        assert TOKEN not in message.text_body + message.html_body
        assert message.link_of == 1
    # and the page it opens is the claimant's page for that claim
    assert client.get(f"/expenses/manage/{TOKEN}/claims/{claim['id']}").status_code == 200
