"""The optional TOTP second factor: turning it on (a secret, confirmed by a first code, and ten
single-use recovery codes shown once), checking a code at sign-in, and who must have it
(`KX_REQUIRE_MFA=1`: accounts with `admin` or `finance`).

The secret is kept encrypted with a key derived from the secret key, so a copy of the database
alone reads none; it is never logged, never put in an event, never shown again once confirmed.
A wrong code counts towards the same lockout as a wrong password (staff.second_factor).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
from datetime import datetime

import pyotp
from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from shared import audit

from ..models import RecoveryCode, StaffAccount

#: the issuer an authenticator app shows next to the account
ISSUER = "kx"
#: how many recovery codes an account gets, and how long each is (base32 characters: 80 bits)
RECOVERY_CODES, RECOVERY_CODE_LENGTH = 10, 16
#: the roles that KX_REQUIRE_MFA=1 makes the second factor compulsory for
MFA_ROLES = frozenset({"admin", "finance"})


def enabled(account: StaffAccount) -> bool:
    return account.mfa_enabled_at is not None


def compulsory(settings) -> bool:
    """KX_REQUIRE_MFA=1: accounts with `admin` or `finance` must have the second factor."""
    return settings.extra.get("KX_REQUIRE_MFA", "0") == "1"


def begin_setup(session: Session, account: StaffAccount, secret_key: str) -> str:
    """A new secret for an account that has no second factor yet (the one in setting up is
    kept, so that reloading the page does not change the key already typed into an app)."""
    if enabled(account):
        raise ValueError("the second factor is on already")
    if account.totp_secret is None or _decrypt(secret_key, account.totp_secret) is None:
        account.totp_secret = _encrypt(secret_key, pyotp.random_base32())
        session.flush()
    return _decrypt(secret_key, account.totp_secret)


def provisioning_uri(account: StaffAccount, secret: str) -> str:
    """The otpauth:// URI an authenticator app reads (typed or pasted; kx shows no QR code)."""
    return pyotp.TOTP(secret).provisioning_uri(name=account.email, issuer_name=ISSUER)


def confirm_setup(session: Session, account: StaffAccount, secret_key: str, code: str,
                  now: datetime, staff=None) -> list[str] | None:
    """Turn the second factor on if `code` is right for the secret being set up: the recovery
    codes, to be shown once (only their hashes are kept); None when the code is wrong. The audit
    log says who (`staff`, the account itself) turned it on, and nothing of the secret."""
    secret = _decrypt(secret_key, account.totp_secret) if account.totp_secret else None
    if enabled(account) or secret is None or not _check_totp(account, secret, code, now):
        return None
    account.mfa_enabled_at = now
    codes = replace_recovery_codes(session, account)
    audit.record(session, staff, "staff.two_factor_on", ("staff_account", account.id),
                 {"two_factor": False}, {"two_factor": True})
    session.flush()
    return codes


def replace_recovery_codes(session: Session, account: StaffAccount) -> list[str]:
    """Ten new recovery codes (only their hashes kept) in place of any the account had."""
    session.execute(delete(RecoveryCode).where(RecoveryCode.staff_id == account.id))
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(staff_id=account.id, code_hash=_code_hash(code)) for code in codes)
    session.flush()
    return codes


def check_code(session: Session, account: StaffAccount, secret_key: str, code: str, now: datetime) -> bool:
    """A sign-in's second factor: a current TOTP code, or an unused recovery code (then spent).
    The caller counts a wrong one towards the lockout (staff.second_factor)."""
    code = "".join((code or "").split())
    secret = _decrypt(secret_key, account.totp_secret) if account.totp_secret else None
    if secret is not None and _check_totp(account, secret, code, now):
        return True
    if len(code.replace("-", "")) == RECOVERY_CODE_LENGTH:
        spare = session.scalar(select(RecoveryCode).where(RecoveryCode.staff_id == account.id,
                                                          RecoveryCode.code_hash == _code_hash(code),
                                                          RecoveryCode.used_at.is_(None)).with_for_update())
        if spare is not None:
            spare.used_at = now
            session.flush()
            return True
    return False


def recovery_codes_left(session: Session, account: StaffAccount) -> int:
    return len(session.scalars(select(RecoveryCode.id).where(RecoveryCode.staff_id == account.id,
                                                              RecoveryCode.used_at.is_(None))).all())


def _check_totp(account: StaffAccount, secret: str, code: str, now: datetime) -> bool:
    """The code of this time step or the one either side (a clock a little off), never one of a
    step already used: a code seen over a shoulder does not sign in twice."""
    if not (len(code) == 6 and code.isdecimal()):
        return False
    totp = pyotp.TOTP(secret)
    step = totp.timecode(now)
    for candidate in (step - 1, step, step + 1):
        if hmac.compare_digest(totp.generate_otp(candidate), code):
            if account.totp_last_step is not None and candidate <= account.totp_last_step:
                return False
            account.totp_last_step = candidate
            return True
    return False


def _new_recovery_code() -> str:
    raw = base64.b32encode(secrets.token_bytes(10)).decode().lower()
    return "-".join(raw[i:i + 4] for i in range(0, RECOVERY_CODE_LENGTH, 4))


def _code_hash(code: str) -> str:
    return hashlib.sha256(code.replace("-", "").strip().lower().encode()).hexdigest()


def _cipher(secret_key: str) -> Fernet:
    derived = hmac.new(secret_key.encode(), b"kx.totp-secret", hashlib.sha256).digest()
    return Fernet(base64.urlsafe_b64encode(derived))


def _encrypt(secret_key: str, secret: str) -> str:
    return _cipher(secret_key).encrypt(secret.encode()).decode()


def _decrypt(secret_key: str, stored: str) -> str | None:
    """None when the secret key has changed since: the account signs in with a recovery code."""
    try:
        return _cipher(secret_key).decrypt(stored.encode()).decode()
    except InvalidToken:
        return None
