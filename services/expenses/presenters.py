"""Claims, lines and runs as JSON: what each reader may see, bank details only ever masked."""

from __future__ import annotations

from datetime import UTC

from .items import describe
from .models import Claim, Claimant, ClaimHistory, ClaimItem, Exchange, PaymentRun
from .pricing import miles_text


def iso(moment):
    """ISO 8601 with offset (SQLite hands datetimes back naive, in UTC)."""
    if moment is None:
        return None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()


def item_json(item: ClaimItem) -> dict:
    body = {"id": item.id, "type": item.type, "date": item.day.isoformat(), "description": describe(item),
            "amount_pence": item.amount_pence, "flags": item.flag_list(), "approved": item.approved}
    if item.type == "mileage":
        body.update({"from": item.from_place, "to": item.to_place, "miles": float(miles_text(item.miles_tenths).replace(",", "")),
                     "vehicle": item.vehicle, "passengers": item.passengers, "working": item.working})
    else:
        body.update({"receipt_id": item.receipt_id, "lost_receipt_declaration": item.lost_receipt_reason,
                     "over_cap_reason": item.over_cap_reason, "nights": item.nights})
    return body


def claim_json(claim: Claim, lines: list[ClaimItem], exchange: Exchange | None = None,
               claimant: Claimant | None = None) -> dict:
    """The claim; `claimant` only for finance (name), never the bank details beyond the last 4 digits."""
    body = {
        "id": claim.id, "exchange_id": claim.exchange_id, "status": claim.status,
        "total_pence": claim.total_pence, "approved_pence": claim.approved_pence, "flags": claim.flag_list(),
        "items": [item_json(i) for i in lines],
        "bank": {"account_number_last4": claim.bank_last4} if claim.bank_last4 else None,
        "question": claim.question, "answer": claim.answer, "reason": claim.reason,
        "submitted_at": iso(claim.submitted_at), "approved_at": iso(claim.approved_at), "paid_at": iso(claim.paid_at),
        "payment_run_id": claim.payment_run_id,
    }
    if exchange is not None:
        body["exchange"] = {"title": exchange.title, "theme": exchange.theme}
    if claimant is not None:
        body["claimant"] = {"name": claimant.name, "application_id": claimant.application_id}
    return body


def queue_row_json(claim: Claim, claimant_name: str | None, title: str | None, theme: str | None) -> dict:
    return {"id": claim.id, "exchange_id": claim.exchange_id, "exchange": {"title": title, "theme": theme},
            "claimant": {"name": claimant_name}, "status": claim.status, "total_pence": claim.total_pence,
            "approved_pence": claim.approved_pence, "flags": claim.flag_list(), "submitted_at": iso(claim.submitted_at)}


def history_json(rows: list[ClaimHistory]) -> list[dict]:
    return [{"at": iso(r.at), "actor": r.actor_name if r.actor_kind != "finance" else f"{r.actor_name} (staff {r.actor_id})",
             "action": r.action, "from": r.from_status, "to": r.to_status, "note": r.note} for r in rows]


def run_json(run: PaymentRun, claim_ids: list[int] | None = None) -> dict:
    body = {"id": run.id, "status": run.status, "claims": run.claim_count, "total_pence": run.total_pence,
            "created_by": run.created_by_name, "created_at": iso(run.created_at),
            "closed_by": run.closed_by_name, "closed_at": iso(run.closed_at)}
    if claim_ids is not None:
        body["claim_ids"] = claim_ids
    return body
