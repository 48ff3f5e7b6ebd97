"""Receipts on PostgreSQL (issue 14): the 50-receipt limit holds for two uploads at once, and the
clean-up of unattached receipts leaves alone one that a claim is taking up at that moment."""

from __future__ import annotations

import io
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from services.expenses import create_app, jobs
from services.expenses.models import Receipt
from services.expenses.operations.receipts import MAX_RECEIPTS
from services.expenses.tests.conftest import TOKEN, png_bytes
from shared.db import utcnow

pytestmark = pytest.mark.integration


@pytest.fixture
def pg(expenses_pg):
    """Expenses on PostgreSQL (tests/conftest.py) with a claimant who may upload receipts."""
    expenses_pg.bus.claimant(1, 1, TOKEN)
    return expenses_pg.runtime


def upload(client, colour):
    return client.post("/expenses/api/receipts", content_type="multipart/form-data",
                       data={"manage_token": TOKEN, "file": (io.BytesIO(png_bytes(colour)), "r.png")})


def test_two_uploads_at_once_cannot_both_be_the_50th(pg):
    runtime = pg
    with runtime.session() as session, session.begin():
        for n in range(MAX_RECEIPTS - 1):
            session.add(Receipt(application_id=1, stored_name=f"{n:032x}", content_type="image/png", size=1,
                                sha256="0" * 64, filename="r.png"))
    # apps built here, not in the threads (building Flask apps in two threads trips a CPython 3.11 ast bug)
    clients = [create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client() for _ in range(2)]
    statuses = []
    threads = [threading.Thread(target=lambda c=c, n=n: statuses.append(upload(c, (n, 9, 9)).status_code))
               for n, c in enumerate(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 409]
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(Receipt)) == MAX_RECEIPTS


def test_the_clean_up_skips_a_receipt_a_claim_is_taking_up(pg):
    runtime = pg
    client = create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client()
    receipt_id = upload(client, (1, 2, 3)).json["receipt_id"]
    with runtime.session() as session, session.begin():
        session.execute(update(Receipt).values(created_at=utcnow() - timedelta(hours=25)))
    with runtime.session() as taking_up, taking_up.begin():
        # what a claim's lines do with their receipts (operations/items.py) until they commit
        taking_up.scalars(select(Receipt).where(Receipt.id == receipt_id)
                          .with_for_update(read=True, key_share=True)).all()
        assert jobs.forget_unattached_receipts(runtime) == 0
    assert jobs.forget_unattached_receipts(runtime) == 1
