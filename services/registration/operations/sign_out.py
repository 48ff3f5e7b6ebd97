"""Sign-out, and what revokes a token here: registration reads its own accounts where every other
service reads its projection of them (shared/staff_projection.py).

Signing out raises the account's `token_version`, so every token it was given before (this
browser's, and any other) is refused by every service once `registration.staff.updated` reaches it.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.staff_projection import Standing

from ..models import StaffAccount
from ..models.staff_account import DISABLED
from .accounts import _emit_updated


def sign_out(session: Session, staff_id: int, staff=None) -> None:
    """Revoke every token of this account signed so far (nothing for an account that is gone).
    The audit log says who signed out (`staff`, from the token) and which tokens stopped working."""
    account = session.scalar(select(StaffAccount).where(StaffAccount.id == staff_id).with_for_update())
    if account is None:
        return
    account.token_version += 1
    session.flush()
    _emit_updated(session, account)
    audit.record(session, staff, "staff.signed_out", ("staff_account", account.id),
                 {"token_version": account.token_version - 1}, {"token_version": account.token_version})


def standing(session: Session, staff_id: int) -> Standing | None:
    """The account's current token version and whether it may sign in (`Service.staff_standing`)."""
    account = session.get(StaffAccount, staff_id)
    return None if account is None else Standing(account.token_version, account.status != DISABLED)
