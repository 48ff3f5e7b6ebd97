"""Claims: the claimant submits, amends and withdraws theirs; finance reads the queue, a claim and
its history, and decides (approve, reject, query)."""

from __future__ import annotations

from flask import after_this_request
from sqlalchemy import select

from shared import api
from shared.api import STAFF, STAFF_OR_TOKEN, TOKEN
from shared.web import db, runtime

from ..models import Claim, Claimant, ClaimHistory, Exchange
from ..operations import claims, queue
from ..operations.access import claim_or_404, claimant_for, decider, finance, own_claim
from ..outputs import ClaimOutput, HistoryOutput, QueueRowOutput
from ..schemas import (
    AmendInput,
    ApproveInput,
    ClaimInput,
    ManageTokenQuery,
    QuestionInput,
    QueueQuery,
    ReasonInput,
    TokenInput,
)
from .blueprint import blueprint


def answer(claim: Claim, for_finance: bool = False) -> dict:
    """What ClaimOutput writes: the claim, its lines, its exchange and, for finance, its claimant."""
    parts = {"claim": claim, "items": claims.lines_of(db(), claim),
             "exchange": db().get(Exchange, claim.exchange_id),
             "claimant": db().get(Claimant, claim.application_id) if for_finance else None}
    return {name: part for name, part in parts.items() if part is not None}


# --- the claimant ------------------------------------------------------------------------------------


def may_decide(claim_id: int) -> None:
    """Finance, and not the claimant: checked before the body is read (shared.api.checked_first)."""
    decider(db(), claim_id)


@blueprint.post("/claims")
@api.access(TOKEN, errors=(403, 409))
@api.arguments(ClaimInput)
@api.response(ClaimOutput, 201)
def create_claim(data):
    """Submit a claim (an expert by experience who attended)."""
    claimant = claimant_for(db(), data["manage_token"])
    return answer(claims.create_claim(db(), claimant, data, runtime().settings))


@blueprint.get("/claims/<int:claim_id>")
@api.access(STAFF_OR_TOKEN)
@api.arguments(ManageTokenQuery, location="query")
@api.response(ClaimOutput)
def get_claim(query, claim_id):
    """A claim: to its claimant (`?manage_token=`) or to finance."""
    if "manage_token" in query:
        return answer(own_claim(db(), claimant_for(db(), query["manage_token"]), claim_id))
    finance()
    return answer(claim_or_404(db(), claim_id), for_finance=True)


@blueprint.put("/claims/<int:claim_id>")
@api.access(TOKEN, errors=(409,))
@api.arguments(AmendInput)
@api.response(ClaimOutput)
def amend_claim(data, claim_id):
    """The claimant answers a query or amends the claim."""
    claimant = claimant_for(db(), data["manage_token"])
    claim = own_claim(db(), claimant, claim_id)
    claims.amend_claim(db(), claim, claimant, data, runtime().settings)
    return answer(claim)


@blueprint.post("/claims/<int:claim_id>/withdraw")
@api.access(TOKEN, errors=(409,))
@api.arguments(TokenInput)
@api.response(ClaimOutput)
def withdraw_claim(data, claim_id):
    """The claimant withdraws a claim not yet decided.

    kx addition."""
    claim = own_claim(db(), claimant_for(db(), data["manage_token"]), claim_id)
    claims.withdraw(db(), claim)
    return answer(claim)


# --- finance -----------------------------------------------------------------------------------------


@blueprint.get("/claims")
@api.access(STAFF)
@api.arguments(QueueQuery, location="query")
@api.response(QueueRowOutput(many=True))
def list_claims(query):
    """The finance queue, filtered, sorted and paged (finance).

    The whole selection's size and total are in the `X-Total-Count` and `X-Total-Pence` headers."""
    finance()
    rows, count, total = queue.page(db(), queue.Filter.from_args(query))

    @after_this_request
    def totals(response):
        response.headers["X-Total-Count"] = str(count)
        response.headers["X-Total-Pence"] = str(total)
        return response

    return [{"claim": claim, "exchange": {"title": title, "theme": theme}, "claimant": {"name": name}}
            for claim, name, title, theme in rows]


@blueprint.post("/claims/<int:claim_id>/approve")
@api.access(STAFF, errors=(409,))
@api.response(ClaimOutput)
@api.checked_first(may_decide)
@api.arguments(ApproveInput, required=False)
def approve(data, claim_id):
    """Approve all or some items (finance).

    Without a body (or without `item_ids`) every line is approved."""
    staff = finance()
    claim = claim_or_404(db(), claim_id, lock=True)
    claims.approve(db(), claim, staff, data["item_ids"], data["note"])
    return answer(claim, for_finance=True)


@blueprint.post("/claims/<int:claim_id>/reject")
@api.access(STAFF, errors=(409,))
@api.response(ClaimOutput)
@api.checked_first(may_decide)
@api.arguments(ReasonInput)
def reject(data, claim_id):
    """Reject with a reason (finance)."""
    staff = finance()
    claim = claim_or_404(db(), claim_id, lock=True)
    claims.reject(db(), claim, staff, data["reason"])
    return answer(claim, for_finance=True)


@blueprint.post("/claims/<int:claim_id>/query")
@api.access(STAFF, errors=(409,))
@api.response(ClaimOutput)
@api.checked_first(may_decide)
@api.arguments(QuestionInput)
def query(data, claim_id):
    """Ask the claimant a question (finance)."""
    staff = finance()
    claim = claim_or_404(db(), claim_id, lock=True)
    claims.query(db(), claim, staff, data["question"])
    return answer(claim, for_finance=True)


@blueprint.get("/claims/<int:claim_id>/history")
@api.access(STAFF)
@api.response(HistoryOutput(many=True))
def history(claim_id):
    """The claim's append-only history (finance)."""
    finance()
    claim = claim_or_404(db(), claim_id)
    return list(db().scalars(select(ClaimHistory).where(ClaimHistory.claim_id == claim.id).order_by(ClaimHistory.id)))
