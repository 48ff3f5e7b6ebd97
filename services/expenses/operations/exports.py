"""A payment run as a bank file: CSV and XLSX with payee name, sort code, account number, amount
and reference. The only place bank details are in clear; served only to finance."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from sqlalchemy.orm import Session

from ..models import PaymentRun
from . import bank
from .runs import run_claims

HEADER = ("payee_name", "sort_code", "account_number", "amount", "reference")


def reference(run: PaymentRun, claim_id: int) -> str:
    """What the payee's statement shows (18 characters at most, as BACS allows)."""
    return f"KX EXP {claim_id}"[:18]


def rows(session: Session, run: PaymentRun, settings):
    """(payee, sort code, account number, pence, reference) for each claim of the run."""
    for claim, _claimant in run_claims(session, run):
        details = bank.unseal(claim, settings)
        yield (details.account_name, details.sort_code, details.account_number, claim.payable_pence,
               reference(run, claim.id))


def _safe(text: str) -> str:
    """Never a spreadsheet formula (names are checked on entry; this is the belt to those braces)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def as_csv(session: Session, run: PaymentRun, settings) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for payee, sort_code, number, pence, ref in rows(session, run, settings):
        writer.writerow((_safe(payee), sort_code, number, f"{pence // 100}.{pence % 100:02d}", ref))
    return out.getvalue().encode("utf-8")


def as_xlsx(session: Session, run: PaymentRun, settings) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(f"Payment run {run.id}")
    sheet.append(list(HEADER))
    count = 0
    for payee, sort_code, number, pence, ref in rows(session, run, settings):
        # text cells keep leading zeros of sort codes and account numbers
        sheet.append([_safe(payee), sort_code, number, pence / 100, ref])
        count += 1
    sheet.append([])
    sheet.append(["Total", None, None, run.total_pence / 100, f"{count} payments"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
