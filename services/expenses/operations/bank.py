"""Bank details: checked for shape, encrypted at rest, shown only as the last four digits.

The account name, sort code and account number are sealed together as one Fernet token under the
newest key of `KX_EXPENSES_KEYS`; MultiFernet decrypts with any key still listed, and the worker
re-encrypts rows sealed under an older key (`rotate_keys`), so an old key can then be removed.
They are in clear only in a payment run's export. Never log them; never put them in an event.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlalchemy import select

from ..config import expenses_settings
from ..models import Claim

#: what a BACS payee name may hold; nothing a spreadsheet could read as a formula
ACCOUNT_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .&'/-]{0,69}$")


@dataclass(frozen=True)
class BankDetails:
    account_name: str
    #: 6 digits, as 12-34-56
    sort_code: str
    #: 8 digits
    account_number: str

    @property
    def last4(self) -> str:
        return self.account_number[-4:]


def normalise_sort_code(value: str) -> str | None:
    digits = re.sub(r"[\s-]", "", value or "")
    if not re.fullmatch(r"\d{6}", digits):
        return None
    return f"{digits[:2]}-{digits[2:4]}-{digits[4:]}"


def normalise_account_number(value: str) -> str | None:
    digits = re.sub(r"[\s-]", "", value or "")
    return digits if re.fullmatch(r"\d{8}", digits) else None


def key_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:16]


def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(k) for k in keys])


def seal(claim: Claim, details: BankDetails, settings) -> None:
    keys = expenses_settings(settings).keys
    plain = json.dumps({"n": details.account_name, "s": details.sort_code, "a": details.account_number})
    claim.bank_ciphertext = _fernet(keys).encrypt(plain.encode()).decode()
    claim.bank_last4 = details.last4
    claim.bank_key_id = key_id(keys[0])


class Unreadable(Exception):
    """The claim's bank details were sealed under a key no longer in KX_EXPENSES_KEYS."""


def unseal(claim: Claim, settings) -> BankDetails | None:
    """The details in clear (the payment export; comparing old with new); None once erased."""
    if not claim.bank_ciphertext:
        return None
    try:
        plain = json.loads(_fernet(expenses_settings(settings).keys).decrypt(claim.bank_ciphertext.encode()))
    except InvalidToken:
        raise Unreadable(claim.id) from None
    return BankDetails(plain["n"], plain["s"], plain["a"])


def masked(claim: Claim) -> str:
    return f"•••• {claim.bank_last4}" if claim.bank_last4 else ""


def masked_details(details: BankDetails | None, last4: str | None = None) -> str:
    """Sort code and account number as a claim's history keeps them: `**-**-57 ****3445`. Details
    that cannot be read any more show what is still known: the account's last four digits."""
    if details is None:
        return f"**-**-?? ****{last4 or '????'}"
    return f"**-**-{details.sort_code[-2:]} ****{details.last4}"


def rotate_keys(runtime, batch: int = 200) -> int:
    """Re-encrypt one batch of rows sealed under an older key with the newest; returns how many."""
    keys = expenses_settings(runtime.settings).keys
    newest = key_id(keys[0])
    fernet = _fernet(keys)
    with runtime.session() as session, session.begin():
        claims = list(session.scalars(
            select(Claim).where(Claim.bank_ciphertext.is_not(None), Claim.bank_key_id != newest)
            .order_by(Claim.id).limit(batch).with_for_update(skip_locked=True)))
        for claim in claims:
            claim.bank_ciphertext = fernet.rotate(claim.bank_ciphertext.encode()).decode()
            claim.bank_key_id = newest
        return len(claims)
