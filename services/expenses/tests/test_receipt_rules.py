"""Who may upload receipts, how many, and how long one not attached to a claim is kept (issue 14).

Only a claimant who may claim uploads: an expert by experience whose attendance was recorded at an
exchange whose claims are open, or who has a claim finance has (submitted, queried) to amend. At
most 50 receipts each; one not on any claim line a day after its upload is deleted, row and file.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select, update

from services.expenses import jobs
from services.expenses.models import Exchange, Receipt
from services.expenses.operations.receipts import MAX_RECEIPTS
from services.expenses.service import SERVICE
from shared.db import utcnow

from .conftest import ENDED, cost, png_bytes, submit, upload

OTHER = "other-claimant-token-abcdefghijklmnopqrstuvwxyz"


def receipt_count(runtime) -> int:
    with runtime.session() as session:
        return session.scalar(select(func.count()).select_from(Receipt))


def files(embedded_settings) -> list[str]:
    folder = embedded_settings.var_dir / "receipts"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_an_expert_by_occupation_may_not_upload(client, bus, runtime):
    bus.claimant(2, 1, OTHER, participant_type="occupation")
    response = upload(client, png_bytes(), token=OTHER)
    assert response.status_code == 403 and response.json["error"]["code"] == "not_expert_by_experience"
    assert receipt_count(runtime) == 0


def test_an_expert_whose_attendance_was_not_recorded_may_not_upload(client, bus, runtime):
    bus.booking(2, 1, OTHER)
    response = upload(client, png_bytes(), token=OTHER)
    assert response.status_code == 403 and response.json["error"]["code"] == "no_claim_open"
    bus.attended(2, 1, attended=False)
    assert upload(client, png_bytes(), token=OTHER).status_code == 403
    assert receipt_count(runtime) == 0


def test_once_claims_have_closed_an_expert_may_not_upload(client, bus, runtime):
    bus.exchange(2, ends=ENDED - timedelta(days=400))
    bus.claimant(2, 2, OTHER)
    response = upload(client, png_bytes(), token=OTHER)
    assert response.status_code == 403 and response.json["error"]["code"] == "no_claim_open"


def test_a_claim_finance_sent_back_may_get_receipts_after_claims_have_closed(client, bus, runtime, fin):
    claim = submit(client, [cost(900)]).json
    assert client.post(f"/expenses/api/claims/{claim['id']}/query", json={"question": "Receipt?"},
                       headers=fin).status_code == 200
    with runtime.session() as session, session.begin():
        session.execute(update(Exchange).values(ends_at=ENDED - timedelta(days=400),
                                                starts_at=ENDED - timedelta(days=401)))
    assert upload(client, png_bytes()).status_code == 201


def test_a_claimant_keeps_at_most_50_receipts(client, bus, runtime, embedded_settings):
    assert MAX_RECEIPTS == 50
    for n in range(MAX_RECEIPTS):
        assert upload(client, png_bytes((n, 0, 0))).status_code == 201
    response = upload(client, png_bytes((255, 255, 255)))
    assert response.status_code == 409 and response.json["error"]["code"] == "too_many_receipts"
    assert "50" in response.json["error"]["message"]
    assert receipt_count(runtime) == MAX_RECEIPTS and len(files(embedded_settings)) == MAX_RECEIPTS


def test_the_limit_is_shown_beside_the_receipt_on_the_form(client, bus, runtime):
    import io

    from .test_pages import date_fields, start

    claim_url = start(client)
    with runtime.session() as session, session.begin():
        for n in range(MAX_RECEIPTS):
            session.add(Receipt(application_id=1, stored_name=f"{n:032x}", content_type="image/png", size=1,
                                sha256="0" * 64, filename="x.png"))
    form = {**date_fields(), "type": "parking", "description": "Car park", "amount": "4",
            "receipt": (io.BytesIO(png_bytes()), "receipt.png")}
    response = client.post(f"{claim_url}/cost", data=form, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="receipt-error"' in page and "50" in page
    assert receipt_count(runtime) == MAX_RECEIPTS


def test_receipts_not_on_a_claim_a_day_after_upload_are_deleted_with_their_files(client, bus, runtime,
                                                                                embedded_settings):
    attached = upload(client, png_bytes((1, 1, 1))).json["receipt_id"]
    loose = upload(client, png_bytes((2, 2, 2))).json["receipt_id"]
    assert submit(client, [cost(900, receipt_id=attached)]).status_code == 201
    with runtime.session() as session, session.begin():
        session.execute(update(Receipt).values(created_at=utcnow() - timedelta(hours=25)))
        loose_file = session.get(Receipt, loose).stored_name
    fresh = upload(client, png_bytes((3, 3, 3))).json["receipt_id"]
    assert len(files(embedded_settings)) == 3

    assert jobs.forget_unattached_receipts(runtime) == 1
    with runtime.session() as session:
        assert sorted(session.scalars(select(Receipt.id))) == sorted([attached, fresh])
    assert len(files(embedded_settings)) == 2 and loose_file not in files(embedded_settings)
    assert jobs.forget_unattached_receipts(runtime, now=utcnow() + timedelta(hours=23)) == 0
    assert jobs.forget_unattached_receipts(runtime, now=utcnow() + timedelta(hours=25)) == 1
    assert len(files(embedded_settings)) == 1


def test_the_worker_and_the_embedded_runtime_run_the_clean_up(runtime):
    assert jobs.FORGET_UNATTACHED_RECEIPTS in SERVICE.periodic
