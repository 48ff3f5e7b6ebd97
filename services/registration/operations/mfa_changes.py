"""Changing a second factor that is on, from one's own account: turning it off (the password and a
code: a stolen session alone cannot weaken the account) and making new recovery codes (a code: the
old ones stop working at once, for when a printed list may have been seen).

A wrong password or code counts towards the same lockout as at sign-in; the caller commits the
count even though it refuses. Where KX_REQUIRE_MFA=1 makes the second factor compulsory for the
account (admin or finance), turning it off is refused and nothing changes.
"""

from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared import audit
from shared.errors import ApiError

from ..models import RecoveryCode, StaffAccount, StaffRole
from . import mfa
from .staff import count_failure, locked, verify_password


def required_for(session: Session, account: StaffAccount, compulsory: bool) -> bool:
    """Whether the account must keep its second factor: KX_REQUIRE_MFA=1 (`compulsory`) and a role
    it applies to."""
    roles = set(session.scalars(select(StaffRole.role).where(StaffRole.staff_id == account.id)))
    return compulsory and bool(mfa.MFA_ROLES & roles)


def turn_off(session: Session, account: StaffAccount, secret_key: str, password: str, code: str,
             now: datetime, *, compulsory: bool, staff=None) -> None:
    """Turn the second factor off: its secret and recovery codes are forgotten (422 naming the
    wrong field; 409 when it is compulsory for the account)."""
    if not mfa.enabled(account):
        return
    if required_for(session, account, compulsory):
        raise ApiError(409, _("Your account has the programme team or finance role, which must use two-step "
                              "verification: it cannot be turned off."), code="mfa_compulsory")
    _check_password(session, account, password, now)
    _check_code(session, account, secret_key, code, now)
    account.mfa_enabled_at, account.totp_secret, account.totp_last_step = None, None, None
    session.execute(delete(RecoveryCode).where(RecoveryCode.staff_id == account.id))
    audit.record(session, staff, "staff.two_factor_off", ("staff_account", account.id),
                 {"two_factor": True}, {"two_factor": False})
    session.flush()


def renew_recovery_codes(session: Session, account: StaffAccount, secret_key: str, code: str,
                         now: datetime, staff=None) -> list[str]:
    """Ten new recovery codes in place of the old ones, to be shown once (422 when the code is wrong)."""
    if not mfa.enabled(account):
        raise ApiError(409, _("Two-step verification is off: there are no recovery codes."), code="mfa_off")
    _check_code(session, account, secret_key, code, now)
    left = mfa.recovery_codes_left(session, account)
    codes = mfa.replace_recovery_codes(session, account)
    audit.record(session, staff, "staff.recovery_codes", ("staff_account", account.id),
                 {"recovery_codes_left": left}, {"recovery_codes_left": len(codes)})
    session.flush()
    return codes


def _check_password(session: Session, account: StaffAccount, password: str, now: datetime) -> None:
    if locked(account, now) or not verify_password(account.password_hash, password):
        count_failure(session, account, now)
        message = _("Enter your current password correctly.")
        raise ApiError(422, message, code="invalid", fields={"current_password": [message]})


def _check_code(session: Session, account: StaffAccount, secret_key: str, code: str, now: datetime) -> None:
    code = "".join((code or "").split())
    if not code:
        message = _("Enter the code from your authenticator app, or a recovery code")
        raise ApiError(422, message, code="invalid", fields={"code": [message]})
    if locked(account, now) or not mfa.check_code(session, account, secret_key, code, now):
        count_failure(session, account, now)
        message = _("Enter the code your authenticator app shows now: that one is not right")
        raise ApiError(422, message, code="invalid", fields={"code": [message]})
