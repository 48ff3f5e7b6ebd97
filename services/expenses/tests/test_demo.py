"""The demo (KX_DEMO=1) fills an empty database with claims in several states, and only an empty one."""

from __future__ import annotations

from sqlalchemy import select

from services.expenses.demo import load_demo
from services.expenses.models import Claim


def test_the_demo_gives_finance_claims_in_every_state_and_loads_once(runtime, embedded_settings, client, fin):
    for _ in range(2):
        with runtime.session() as session, session.begin():
            load_demo(session, embedded_settings)
    with runtime.session() as session:
        statuses = sorted(session.scalars(select(Claim.status)))
    assert statuses == ["approved", "paid", "queried", "submitted"]
    assert client.get("/expenses/finance/?status=all", headers=fin).status_code == 200
    page = client.get("/expenses/finance/claims/1", headers=fin).get_data(as_text=True)
    assert "Over its limit" in page and "kx-receipt" in page and "Bank details changed on" in page
    assert client.get("/expenses/manage/demo-expenses-claimant-1").status_code == 200
    assert client.post("/expenses/api/payment-runs", headers=fin).json["claims"] == 1


def test_the_registration_catalogue_replaces_the_demo_placeholders(runtime, embedded_settings, bus):
    with runtime.session() as session, session.begin():
        load_demo(session, embedded_settings)
    bus.exchange(1, title="Open access in the community")
    with runtime.session() as session:
        from services.expenses.models import Exchange
        assert session.get(Exchange, 1).title == "Open access in the community"
