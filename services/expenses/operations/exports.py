"""A payment run as a bank file: CSV and XLSX with payee name, sort code, account number, amount
and reference. The only place bank details are in clear; served only to finance.

Every claim of the run is a row, whatever happened since. A claim whose bank details cannot be read
(erased once paid, or sealed under a key since removed) cannot be paid by this file: while the run
is open the export is refused naming those claims, since a bank file quietly missing a payee (or
with blanks the bank would reject) pays the wrong total; once confirmed, the file is finance's record
of what was paid, so it is given with those bank fields marked and the amount and reference kept.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _
from openpyxl import Workbook
from sqlalchemy.orm import Session

from shared.errors import ApiError

from ..models import PaymentRun
from . import bank
from .runs import run_claims

HEADER = ("payee_name", "sort_code", "account_number", "amount", "reference")
#: what the bank fields of a claim say when they cannot be given: erased (paid, then erased), or
#: sealed under a key no longer configured
ERASED, UNAVAILABLE = "[erased]", "[unavailable]"


@dataclass(frozen=True)
class Payment:
    claim_id: int
    payee: str
    sort_code: str
    account_number: str
    pence: int
    reference: str

    @property
    def payable(self) -> bool:
        return self.payee not in (ERASED, UNAVAILABLE)


def reference(run: PaymentRun, claim_id: int) -> str:
    """What the payee's statement shows (18 characters at most, as BACS allows)."""
    return f"KX EXP {claim_id}"[:18]


def payments(session: Session, run: PaymentRun, settings) -> list[Payment]:
    """One payment per claim of the run; 409 naming the claims that cannot be paid if it is not yet paid."""
    found = _payments(session, run, settings)
    unpaid = [p.claim_id for p in found if not p.payable]
    if unpaid and run.status in ("open", "approved"):
        raise ApiError(409, unpayable_message(unpaid), code="bank_details_unavailable")
    return found


def unpayable(session: Session, run: PaymentRun, settings) -> list[int]:
    """The claims of the run whose bank details cannot be read (the run's page warns before any export)."""
    return [p.claim_id for p in _payments(session, run, settings) if not p.payable]


def unpayable_message(claim_ids: list[int]) -> str:
    return _("This run cannot be paid as it is: the bank details of claim(s) %(ids)s were erased or were encrypted "
             "with a key that has since been removed. Cancel the run, make a new one without those claims, and pay "
             "them another way.", ids=", ".join(map(str, claim_ids)))


def _payments(session: Session, run: PaymentRun, settings) -> list[Payment]:
    return [_payment(run, claim, settings) for claim, _claimant in run_claims(session, run)]


def _payment(run: PaymentRun, claim, settings) -> Payment:
    try:
        details = bank.unseal(claim, settings)
    except bank.Unreadable:
        details, missing = None, UNAVAILABLE
    else:
        missing = ERASED
    if details is None:
        return Payment(claim.id, missing, missing, missing, claim.payable_pence, reference(run, claim.id))
    return Payment(claim.id, details.account_name, details.sort_code, details.account_number, claim.payable_pence,
                   reference(run, claim.id))


def _safe(text: str) -> str:
    """Never a spreadsheet formula (names are checked on entry; this is the belt to those braces)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(session: Session, run: PaymentRun, settings) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for p in payments(session, run, settings):
        writer.writerow((_safe(p.payee), p.sort_code, p.account_number, f"{p.pence // 100}.{p.pence % 100:02d}",
                         p.reference))
    return out.getvalue().encode("utf-8")


def as_xlsx(session: Session, run: PaymentRun, settings) -> bytes:
    found = payments(session, run, settings)  # before the workbook: a refusal leaves no sheet half written
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Payment run {run.id}")
    sheet.append(list(HEADER))
    for p in found:
        # text cells keep leading zeros of sort codes and account numbers
        sheet.append([_safe(p.payee), p.sort_code, p.account_number, p.pence / 100, p.reference])
    sheet.append([])
    sheet.append(["Total", None, None, run.total_pence / 100, f"{len(found)} payments"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
