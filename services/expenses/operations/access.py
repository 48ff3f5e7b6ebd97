"""Who is asking: a claimant through their manage token, or finance through the one role check.

Separation of duties: only `finance` does finance's work (no other role implies it), and nobody
in finance decides, gathers into a run or releases a claim whose claimant has their own email.
"""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.auth import Staff, authorise
from shared.errors import ApiError
from shared.manage_tokens import holder

from ..models import Claim, Claimant


def claimant_for(session: Session, token: str | None) -> Claimant:
    """The claimant holding this manage token; 404 for an unknown one (never saying more)."""
    claimant = holder(session, Claimant, token)
    if claimant is None:
        raise ApiError(404, _("We could not find that. Use the link in your confirmation email."), code="not_found")
    return claimant


def own_claim(session: Session, claimant: Claimant, claim_id: int) -> Claim:
    """The claimant's own claim; 404 for anyone else's, exactly as for one that does not exist."""
    claim = session.get(Claim, claim_id)
    if claim is None or claim.application_id != claimant.application_id:
        raise ApiError(404, _("We could not find that. Use the link in your confirmation email."), code="not_found")
    return claim


def finance() -> Staff:
    return authorise("finance")


def claims_own(staff: Staff, claimant: Claimant | None) -> bool:
    """Whether the claimant is this member of staff (the same email, case-folded)."""
    return bool(staff.email) and claimant is not None and staff.email.casefold() == claimant.email.casefold()


def refuse_own_claim(session: Session, staff: Staff, claim: Claim) -> None:
    """403 naming the rule when `staff` is the claim's claimant: someone else must decide it."""
    if claims_own(staff, session.get(Claimant, claim.application_id)):
        raise ApiError(403, _("This is your own claim, so someone else in finance must decide it."), code="own_claim")


def refuse_own_claims(session: Session, staff: Staff, which) -> None:
    """403 naming the rule and the claims when any claim `which` selects (a SQL condition, e.g. a
    payment run's) is the caller's own."""
    if not staff.email:
        return
    rows = session.execute(select(Claim.id, Claimant.email).join(Claimant, Claimant.application_id == Claim.application_id)
                           .where(which).order_by(Claim.id))
    own = [claim_id for claim_id, email in rows if email.casefold() == staff.email.casefold()]
    if own:
        listed = ", ".join(str(i) for i in own[:10]) + ("…" if len(own) > 10 else "")
        raise ApiError(403, _("Claim(s) %(ids)s are your own, so someone else in finance must pay them.", ids=listed),
                       code="own_claim")


def decider(session: Session, claim_id: int) -> Staff:
    """Finance who may decide this claim: 401/403 for anyone else, 404 for no such claim."""
    staff = finance()
    refuse_own_claim(session, staff, claim_or_404(session, claim_id))
    return staff


def claim_or_404(session: Session, claim_id: int, lock: bool = False) -> Claim:
    query = select(Claim).where(Claim.id == claim_id)
    claim = session.scalar(query.with_for_update() if lock else query)
    if claim is None:
        raise ApiError(404, _("There is no claim with that number."), code="not_found")
    return claim
