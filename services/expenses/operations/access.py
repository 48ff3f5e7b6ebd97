"""Who is asking: a claimant through their manage token, or finance through the one role check."""

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


def claim_or_404(session: Session, claim_id: int, lock: bool = False) -> Claim:
    query = select(Claim).where(Claim.id == claim_id)
    claim = session.scalar(query.with_for_update() if lock else query)
    if claim is None:
        raise ApiError(404, _("There is no claim with that number."), code="not_found")
    return claim
