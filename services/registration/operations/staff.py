"""Signing in: argon2 hashes, the TOTP second factor when an account has it on (mfa.py), and a
lockout after repeated failures of either (accounts.py is the rest of an account's life).

Roles come from two places: `staff_roles` (admin, finance, theme_lead per theme) and the
exchanges' host accounts (`exchange_hosts`, by email), which grant `host` scoped to those
exchanges. Both are read at sign-in into the signed token every service checks.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.auth import Staff
from shared.db import utcnow

from ..models import ExchangeHost, StaffAccount, StaffRole
from ..models.staff_account import ACTIVE
from . import mfa

#: this many failures in a row lock the account...
MAX_FAILED_ATTEMPTS = 5
#: ...for this long
LOCKOUT = timedelta(minutes=15)

_hasher = PasswordHasher()
#: verified against when the email is unknown, so that a wrong email takes as long as a wrong password
_DUMMY_HASH = _hasher.hash("not a password anyone has")

#: how someone signed in, as the audit log says (`staff.signed_in`)
PASSWORD, SSO = "password", "sso"
#: a verified email that no account has
UNKNOWN = "unknown"

#: why a right password did not sign in yet: the account's second factor is on and no code came
#: with it, or KX_REQUIRE_MFA=1 and the account (admin or finance) has yet to turn it on
MFA_REQUIRED, MFA_SETUP_REQUIRED = "mfa_required", "mfa_setup_required"


@dataclass(frozen=True)
class SignIn:
    """The result of a sign-in attempt: `staff` when it succeeded, else None and whether the
    account is now locked (say so only in general terms: it also tells that the account exists)."""

    staff: Staff | None
    locked: bool = False
    #: MFA_REQUIRED or MFA_SETUP_REQUIRED when the password was right but that is not enough yet
    needs: str | None = None
    #: the account that `needs` is about (the pages keep it in the session for the next step)
    account_id: int | None = None
    #: why a sign-in with a verified email found no account to be: UNKNOWN, or the account's status
    #: (invited, disabled); the one who proved the email may be told (sign_in_verified)
    refusal: str | None = None


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def staff_identity(session: Session, account: StaffAccount) -> Staff:
    """The roles a token for this account carries."""
    roles: dict[str, list] = {}
    for row in session.scalars(select(StaffRole).where(StaffRole.staff_id == account.id)
                               .order_by(StaffRole.role, StaffRole.scope)):
        scopes = roles.setdefault(row.role, [])
        if row.scope:
            scopes.append(row.scope)
    hosted = list(session.scalars(select(ExchangeHost.exchange_id).where(ExchangeHost.email == account.email)
                                  .order_by(ExchangeHost.exchange_id)))
    if hosted:
        roles["host"] = hosted
    return Staff(id=account.id, name=account.name, roles=roles, email=account.email,
                 token_version=account.token_version)


def sign_in(session: Session, email: str, password: str, now: datetime | None = None, *,
            code: str | None = None, secret_key: str = "", require_mfa: bool = False) -> SignIn:
    """Check an email and password, and the second factor's `code` when the account has it on.
    Failures (of either) are counted on the account (the caller commits them even though it
    refuses the sign-in); the fifth in a row locks it for 15 minutes, during which even the right
    password fails. Only an active account signs in: an invited one has no password yet, and a
    disabled one is refused as an unknown email is. With `require_mfa` (KX_REQUIRE_MFA=1) an
    admin or finance account without a second factor gets only as far as MFA_SETUP_REQUIRED."""
    now = now or utcnow()
    account = session.scalar(select(StaffAccount).where(StaffAccount.email == (email or "").strip().casefold())
                             .with_for_update())
    if account is None or account.status != ACTIVE:
        verify_password(_DUMMY_HASH, password)
        return SignIn(None)
    if locked(account, now):
        return SignIn(None, locked=True)
    if not verify_password(account.password_hash, password):
        count_failure(session, account, now)
        return SignIn(None, locked=locked(account, now))
    if _hasher.check_needs_rehash(account.password_hash):
        account.password_hash = hash_password(password)
    if mfa.enabled(account) and not code:
        # not a failure, and not a success either: the count goes on until the code is right
        return SignIn(None, needs=MFA_REQUIRED, account_id=account.id)
    if mfa.enabled(account):
        return second_factor(session, account.id, code, secret_key, now)
    if require_mfa and mfa.MFA_ROLES & set(staff_identity(session, account).roles):
        account.failed_attempts, account.locked_until = 0, None  # the password was right
        session.flush()
        return SignIn(None, needs=MFA_SETUP_REQUIRED, account_id=account.id)
    return SignIn(_signed_in(session, account, now, PASSWORD))


def sign_in_verified(session: Session, email: str, now: datetime | None = None, *,
                     require_mfa: bool = False) -> SignIn:
    """Sign in as the active account of an email that the organisation's identity provider has
    verified (single sign-on): no password, so the password lockout does not apply, and no account
    is ever created. The second factor is asked as after a right password: the code when the
    account has it on, its set-up when KX_REQUIRE_MFA=1 obliges an admin or finance account."""
    now = now or utcnow()
    account = session.scalar(select(StaffAccount).where(StaffAccount.email == email.strip().casefold())
                             .with_for_update())
    if account is None or account.status != ACTIVE:
        return SignIn(None, refusal=UNKNOWN if account is None else account.status)
    if mfa.enabled(account):
        return SignIn(None, needs=MFA_REQUIRED, account_id=account.id)
    if require_mfa and mfa.MFA_ROLES & set(staff_identity(session, account).roles):
        return SignIn(None, needs=MFA_SETUP_REQUIRED, account_id=account.id)
    return SignIn(_signed_in(session, account, now, SSO))


def second_factor(session: Session, account_id: int, code: str, secret_key: str, now: datetime | None = None,
                  method: str = PASSWORD) -> SignIn:
    """The second step of a sign-in whose first factor (`method`: a password, or the
    organisation's sign-in) was right: a TOTP or recovery code. A wrong one counts towards the
    lockout as a wrong password does."""
    now = now or utcnow()
    account = session.scalar(select(StaffAccount).where(StaffAccount.id == account_id).with_for_update())
    if account is None or account.status != ACTIVE or not mfa.enabled(account):
        return SignIn(None)
    if locked(account, now):
        return SignIn(None, locked=True)
    if not mfa.check_code(session, account, secret_key, code, now):
        count_failure(session, account, now)
        return SignIn(None, locked=locked(account, now), needs=MFA_REQUIRED, account_id=account.id)
    return SignIn(_signed_in(session, account, now, method))


def _signed_in(session: Session, account: StaffAccount, now: datetime, method: str) -> Staff:
    account.failed_attempts, account.locked_until, account.last_signed_in_at = 0, None, now
    staff = staff_identity(session, account)
    audit.record(session, staff, "staff.signed_in", ("staff_account", account.id), None, {"method": method})
    session.flush()
    return staff


def count_failure(session: Session, account: StaffAccount, now: datetime) -> None:
    """One more wrong password in a row; the fifth locks the account for 15 minutes."""
    account.failed_attempts += 1
    if account.failed_attempts >= MAX_FAILED_ATTEMPTS:
        account.locked_until, account.failed_attempts = now + LOCKOUT, 0
    session.flush()


def locked(account: StaffAccount, now: datetime) -> bool:
    return account.locked_until is not None and now < account.locked_until


def verify_password(password_hash: str | None, password: str) -> bool:
    """Whether `password` is the one hashed; an account with no password (invited) matches none."""
    if not password_hash:
        _verify(_DUMMY_HASH, password)
        return False
    return _verify(password_hash, password)


def _verify(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password or "")
    except (VerificationError, InvalidHashError):
        return False
