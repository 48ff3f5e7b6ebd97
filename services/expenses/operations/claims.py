"""A claim's life: who may claim for which exchange, starting, amending, submitting and withdrawing
it, finance's decisions on it, and the events that tell the claimant.

Every change of a claim's status goes through `move()`, which checks the transition, writes the
history row, and is the only place a status is set.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared import audit
from shared.auth import Staff
from shared.db import utcnow
from shared.errors import ApiError
from shared.events import (
    CLAIM_APPROVED,
    CLAIM_BANK_DETAILS_CHANGED,
    CLAIM_QUERIED,
    CLAIM_REJECTED,
    CLAIM_SUBMITTED,
)
from shared.i18n import label
from shared.outbox import emit

from ..config import expenses_settings
from ..models import Attendance, Claim, Claimant, ClaimItem, Exchange
from ..vocabularies import CLAIM_STATUS_PHRASES
from . import bank, items
from .access import refuse_own_claim
from .history import CLAIMANT, Actor, record

LONDON = ZoneInfo("Europe/London")
CLAIMANT_TYPES = ("experience", "both")

#: action -> (statuses it may start from, status it leads to, who may take it)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "submit": (("draft", "queried", "submitted"), "submitted", "claimant"),
    "withdraw": (("draft", "submitted", "queried"), "withdrawn", "claimant"),
    "query": (("submitted",), "queried", "finance"),
    "approve": (("submitted",), "approved", "finance"),
    "reject": (("submitted",), "rejected", "finance"),
    "add_to_run": (("approved",), "in_run", "finance"),
    "remove_from_run": (("in_run",), "approved", "finance"),
    "pay": (("in_run",), "paid", "finance"),
}

def today() -> date:
    return datetime.now(LONDON).date()


def move(session: Session, claim: Claim, action: str, actor: Actor, note: str | None = None) -> str:
    """Take a transition: 403 for the wrong kind of actor, 409 from the wrong status."""
    sources, target, who = TRANSITIONS[action]
    if actor.kind != who:
        raise ApiError(403, _("You do not have permission to do that."), code="forbidden")
    if claim.status not in sources:
        raise ApiError(409, _("This claim is %(status)s, so that cannot be done now.",
                              status=label(claim.status, CLAIM_STATUS_PHRASES)), code="invalid_transition")
    before = claim.status
    claim.status = target
    record(session, claim, history_label(action, before), actor, before, note)
    return before


def history_label(action: str, before: str) -> str:
    """What the history says happened: a past participle (a resubmission says amended or answered)."""
    if action == "submit":
        return {"submitted": "amended", "queried": "answered"}.get(before, "submitted")
    return {"add_to_run": "added_to_run", "remove_from_run": "removed_from_run", "pay": "paid"}.get(action, _verb(action))


def _verb(action: str) -> str:
    return {"submit": "submitted", "withdraw": "withdrawn", "query": "queried", "approve": "approved",
            "reject": "rejected", "add_to_run": "added to a payment run", "remove_from_run": "taken out of a run",
            "pay": "paid"}[action]


# --- who may claim ------------------------------------------------------------------------------


def refuse_unless_expert(claimant: Claimant) -> None:
    if claimant.participant_type not in CLAIMANT_TYPES:
        raise ApiError(403, _("Expenses can be claimed through kx by experts by experience. If you took part as "
                              "a member of staff, claim through your employer."), code="not_expert_by_experience")


def claimable_exchange(session: Session, claimant: Claimant, exchange_id: int, settings) -> Exchange:
    """The exchange, if this claimant may claim for it now; else a specific error."""
    refuse_unless_expert(claimant)
    exchange = session.get(Exchange, exchange_id)
    attended = session.get(Attendance, (exchange_id, claimant.application_id, "exchange"))
    if exchange is None or attended is None or not attended.attended:
        raise ApiError(422, _("You can claim only for an exchange your attendance at was recorded. If you went, "
                              "ask the host to record it."), code="not_attended",
                       fields={"exchange_id": [_("Your attendance at this exchange has not been recorded.")]})
    last_day = claim_deadline(exchange, settings)
    if today() > last_day:
        closed = _("Claims for this exchange closed on %(date)s.", date=items.long_date(last_day))
        raise ApiError(422, closed, code="claim_window_closed", fields={"exchange_id": [closed]})
    return exchange


def refuse_unless_may_claim(session: Session, claimant: Claimant, settings) -> None:
    """403 unless this claimant may claim now: for an attended exchange whose claims are open, or by
    amending a claim finance has (submitted, or queried back to them). What uploading a receipt needs."""
    refuse_unless_expert(claimant)
    amendable = select(Claim.id).where(Claim.application_id == claimant.application_id,
                                       Claim.status.in_(("submitted", "queried"))).limit(1)
    if session.scalar(amendable) is not None:
        return
    attended = session.scalars(
        select(Exchange).join(Attendance, Attendance.exchange_id == Exchange.id)
        .where(Attendance.application_id == claimant.application_id, Attendance.stage == "exchange",
               Attendance.attended.is_(True)))
    if not any(today() <= claim_deadline(exchange, settings) for exchange in attended):
        raise ApiError(403, _("You can upload receipts only while you can claim: for an exchange your attendance "
                              "at was recorded, until its claims close."), code="no_claim_open")


def claim_deadline(exchange: Exchange, settings) -> date:
    return items.london_date(exchange.ends_at) + timedelta(days=expenses_settings(settings).claim_days)


def claim_of(session: Session, claimant: Claimant, exchange_id: int) -> Claim | None:
    return session.scalar(select(Claim).where(Claim.exchange_id == exchange_id,
                                              Claim.application_id == claimant.application_id))


# --- the claimant ---------------------------------------------------------------------------------


def start_claim(session: Session, claimant: Claimant, exchange_id: int, settings) -> Claim:
    """The claimant's claim for this exchange: the one they have, or a new draft (amend, never duplicate)."""
    existing = claim_of(session, claimant, exchange_id)
    if existing is not None:
        return existing
    claimable_exchange(session, claimant, exchange_id, settings)
    claim = Claim(exchange_id=exchange_id, application_id=claimant.application_id, status="draft",
                  total_pence=0, flags="")
    session.add(claim)
    session.flush()
    record(session, claim, "created", CLAIMANT, None)
    return claim


def create_claim(session: Session, claimant: Claimant, data: dict, settings) -> Claim:
    """`POST /claims`: a whole claim at once, submitted."""
    existing = claim_of(session, claimant, data["exchange_id"])
    if existing is not None and existing.status != "draft":
        raise ApiError(409, _("You already have a claim for this exchange (number %(id)s). Change that "
                              "claim instead of making another.", id=existing.id), code="claim_exists")
    claim = existing or start_claim(session, claimant, data["exchange_id"], settings)
    set_items(session, claim, data["items"], settings)
    set_bank(session, claim, data["bank"], settings)
    submit(session, claim, claimant, settings, declared=data["declaration"])
    return claim


def amend_claim(session: Session, claim: Claim, claimant: Claimant, data: dict, settings) -> Claim:
    """`PUT /claims/<id>`: new lines (and bank details), back to submitted; answers a query."""
    if claim.status not in TRANSITIONS["submit"][0]:
        move(session, claim, "submit", CLAIMANT)  # raises the 409 with its explanation
    set_items(session, claim, data["items"], settings)
    if data.get("bank"):
        set_bank(session, claim, data["bank"], settings)
    submit(session, claim, claimant, settings, declared=data["declaration"], answer=data.get("answer"))
    return claim


def editable(claim: Claim) -> bool:
    return claim.status in ("draft", "queried", "submitted")


def lines_of(session: Session, claim: Claim) -> list[ClaimItem]:
    """The claim's lines, in their order on the claim."""
    return list(session.scalars(select(ClaimItem).where(ClaimItem.claim_id == claim.id).order_by(ClaimItem.position)))


def set_items(session: Session, claim: Claim, inputs: list[dict], settings) -> list[ClaimItem]:
    """Replace the claim's lines with these, checked, priced and flagged; 422 changes nothing."""
    if not editable(claim):
        raise ApiError(409, _("This claim is %(status)s, so it cannot be changed.", status=label(claim.status, CLAIM_STATUS_PHRASES)),
                       code="invalid_transition")
    exchange = session.get(Exchange, claim.exchange_id)
    ctx = items.Context(claim=claim, exchange=exchange, rates=expenses_settings(settings).rates)
    rows = items.build_items(session, ctx, inputs)
    session.execute(delete(ClaimItem).where(ClaimItem.claim_id == claim.id))
    for position, row in enumerate(rows):
        row.claim_id, row.position = claim.id, position
        session.add(row)
    items.flag(session, claim, rows)
    claim.total_pence = sum(r.amount_pence for r in rows)
    claim.approved_pence = None
    session.flush()
    return rows


def remove_line(session: Session, claim: Claim, item_id: int, settings) -> None:
    """Take one line off the claim: the others are checked again as a whole; the last leaves it empty."""
    remaining = [items.as_input(i) for i in lines_of(session, claim) if i.id != item_id]
    if remaining:
        set_items(session, claim, remaining, settings)
        return
    session.execute(delete(ClaimItem).where(ClaimItem.claim_id == claim.id))
    claim.total_pence, claim.flags = 0, ""
    session.flush()


def set_bank(session: Session, claim: Claim, data: dict, settings) -> None:
    """Check the bank details' shape and seal them; 422 naming the field that is wrong. Replacing
    details already given with others is how a leaked manage link would redirect the money, so it
    leaves a trace (`_bank_changed`)."""
    fields: dict[str, list[str]] = {}
    name = " ".join((data.get("account_name") or "").split())
    if not bank.ACCOUNT_NAME.match(name):
        fields["bank.account_name"] = ["Enter the name on the account, as the bank shows it (letters, numbers, "
                                       "spaces and . & ' / - only)."]
    sort_code = bank.normalise_sort_code(data.get("sort_code") or "")
    if sort_code is None:
        fields["bank.sort_code"] = ["Enter a valid sort code like 30-94-57: 6 digits."]
    number = bank.normalise_account_number(data.get("account_number") or "")
    if number is None:
        fields["bank.account_number"] = ["Enter a valid account number like 00733445: 8 digits."]
    if fields:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid", fields=fields)
    details = bank.BankDetails(name, sort_code, number)
    had, last4 = claim.bank_ciphertext is not None, claim.bank_last4
    try:
        before = bank.unseal(claim, settings)
    except bank.Unreadable:
        before = None  # sealed under a key since removed: whatever they were, these replace them
    bank.seal(claim, details, settings)
    if had and before != details:
        _bank_changed(session, claim, f"{bank.masked_details(before, last4)} → {bank.masked_details(details)}")


def _bank_changed(session: Session, claim: Claim, note: str) -> None:
    """Masked in the claim's history, flagged for finance, and the claimant told by email (the event
    names the claim, never the numbers)."""
    claim.bank_changed_at = utcnow()
    record(session, claim, "bank_details_changed", CLAIMANT, claim.status, note)
    claim_event(session, claim, CLAIM_BANK_DETAILS_CHANGED)


def submit(session: Session, claim: Claim, claimant: Claimant, settings, declared: bool,
           answer: str | None = None) -> None:
    """Send the claim to finance: it needs lines, bank details and the declaration."""
    fields: dict[str, list[str]] = {}
    if not session.scalar(select(ClaimItem.id).where(ClaimItem.claim_id == claim.id).limit(1)):
        fields["items"] = ["Add at least one journey or cost."]
    if not claim.bank_ciphertext:
        fields["bank"] = ["Give the bank details to pay the claim into."]
    if not declared:
        fields["declaration"] = ["Confirm that the costs are true and not claimed elsewhere."]
    if claim.status == "queried" and not (answer or "").strip():
        fields["answer"] = ["Answer finance's question."]
    if fields:
        raise ApiError(422, _("The claim is not ready to send."), code="incomplete", fields=fields)
    if claim.status == "draft":
        claimable_exchange(session, claimant, claim.exchange_id, settings)  # the window may have closed
    answer = (answer or "").strip() or None
    before = move(session, claim, "submit", CLAIMANT, note=answer)
    claim.declared_at = utcnow()
    claim.submitted_at = utcnow()
    if before == "queried":
        claim.answer = answer
    if before != "submitted":
        claim_event(session, claim, CLAIM_SUBMITTED)
    session.flush()


def withdraw(session: Session, claim: Claim) -> None:
    move(session, claim, "withdraw", CLAIMANT)
    session.flush()


# --- finance -------------------------------------------------------------------------------------


def query(session: Session, claim: Claim, staff: Staff, question: str) -> None:
    refuse_own_claim(session, staff, claim)
    question = _required(question, "question", "Enter the question for the claimant.")
    before = move(session, claim, "query", Actor.staff(staff), note=question)
    _audit(session, staff, "claim.queried", claim, before)
    claim.question, claim.answer = question, None
    claim_event(session, claim, CLAIM_QUERIED, reason=question)
    session.flush()


def reject(session: Session, claim: Claim, staff: Staff, reason: str) -> None:
    refuse_own_claim(session, staff, claim)
    reason = _required(reason, "reason", "Enter the reason for rejecting the claim: the claimant is told it.")
    before = move(session, claim, "reject", Actor.staff(staff), note=reason)
    _audit(session, staff, "claim.rejected", claim, before)
    claim.reason = reason
    claim_event(session, claim, CLAIM_REJECTED, reason=reason)
    session.flush()


def approve(session: Session, claim: Claim, staff: Staff, item_ids: list[int] | None, note: str | None) -> None:
    """Approve every line, or only the selected ones (then a note says why the others are not)."""
    refuse_own_claim(session, staff, claim)
    lines = list(session.scalars(select(ClaimItem).where(ClaimItem.claim_id == claim.id)))
    chosen = {i.id for i in lines} if item_ids is None else set(item_ids)
    unknown = chosen - {i.id for i in lines}
    if unknown:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"item_ids": [_("Choose lines of this claim.")]})
    if not chosen:
        raise ApiError(422, _("Choose at least one line to approve, or reject the claim."), code="invalid",
                       fields={"item_ids": [_("Choose at least one line to approve, or reject the claim.")]})
    note = (note or "").strip() or None
    partial = len(chosen) < len(lines)
    if partial and not note:
        raise ApiError(422, _("Say why the other lines are not approved: the claimant is told."), code="invalid",
                       fields={"note": [_("Say why the other lines are not approved: the claimant is told.")]})
    if claim.status != "submitted":
        move(session, claim, "approve", Actor.staff(staff))  # raises the 409 with its explanation
    for line in lines:
        line.approved = line.id in chosen
    claim.approved_pence = sum(i.amount_pence for i in lines if i.id in chosen)
    claim.approved_by, claim.approved_at, claim.reason = staff.id, utcnow(), note
    history_note = f"{len(chosen)} of {len(lines)} lines approved: {note}" if partial else note
    before = move(session, claim, "approve", Actor.staff(staff), note=history_note)
    _audit(session, staff, "claim.approved", claim, before, approved_pence=claim.approved_pence)
    claim_event(session, claim, CLAIM_APPROVED, reason=note)
    session.flush()


def _audit(session: Session, staff: Staff, action: str, claim: Claim, before: str, **after) -> None:
    """Finance's decision in the audit log: the status it moved from and to (the reason or question is
    in the claim's own history, beside the claimant's answers)."""
    audit.record(session, staff, action, ("claim", claim.id), {"status": before}, {"status": claim.status, **after})


def _required(text: str | None, field: str, message: str) -> str:
    text = (text or "").strip()
    if not text:
        raise ApiError(422, message, code="invalid", fields={field: [message]})
    return text


# --- events ----------------------------------------------------------------------------------------


def claim_event(session: Session, claim: Claim, event_type: str, reason: str | None = None) -> None:
    """An `expenses.claim.*` event: ids, the claimant's email, language and name for the message, never bank details."""
    claimant = session.get(Claimant, claim.application_id)
    exchange = session.get(Exchange, claim.exchange_id)
    emit(session, event_type, claim_event_data(claim, claimant, exchange, reason))


def claim_event_data(claim: Claim, claimant: Claimant, exchange: Exchange | None, reason: str | None) -> dict:
    return {"claim_id": claim.id, "exchange_id": claim.exchange_id, "claimant_email": claimant.email,
            "language": claimant.language, "total_pence": claim.payable_pence, "reason": reason,
            "claimant_name": claimant.name, "exchange_title": exchange.title if exchange else None,
            # the claimant's page for the claim is reached through their manage link, which is not on
            # the bus: notifications puts the link it keeps (sealed) for this application into the email
            "application_id": claim.application_id}
