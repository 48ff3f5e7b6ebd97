"""Illustrative demo data for expenses (KX_DEMO=1). No real person's name, address or account.

Claims are expenses's own, but who attended what arrives from registration as events after
start-up, so this loader cannot wait for it. It writes four illustrative claimants (application ids
from 900001, a range registration never reaches in a demo) with their attendance at exchanges 1 to
4, which `shared.demo_timeline` places in the last weeks, and placeholder rows for those exchanges
stamped older than any event (on the timeline's days), so that registration's catalogue replaces
their titles and times as soon as it arrives. Each claim's dates follow its exchange's day. Their claims are in different
states so every finance page has something to show: submitted with flags, queried, approved (ready
for a payment run) and paid in a confirmed run. The first claimant's manage link is
`/expenses/manage/demo-expenses-claimant-1` (illustrative only; real tokens are long and random).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime, time, timedelta

from PIL import Image
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.config import Settings
from shared.demo_timeline import PAST, Timeline, at, timeline
from shared.manage_tokens import token_hash
from shared.projections import BEFORE_ANY_EVENT

from .models import Attendance, Claim, Claimant, ClaimItem, Exchange, PaymentRun
from .operations import bank, receipts
from .operations.history import Actor, record

FINANCE = Actor("finance", -1, "Demo finance officer (illustrative)")
CHECKER = Actor("finance", -2, "Demo finance checker (illustrative)")

CLAIMANTS = [
    # (application id, name, exchange id, status)
    (900001, "Rhian Example", 1, "submitted"),
    (900002, "Dafydd Example", 2, "queried"),
    (900003, "Sam Example", 3, "approved"),
    (900004, "Alex Sample", 4, "paid"),
]


def load_demo(session: Session, settings: Settings) -> None:
    if session.scalar(select(Claim.id).limit(1)) is not None:
        return  # not an empty database: leave it alone
    calendar = timeline()
    for number, (application_id, name, exchange_id, status) in enumerate(CLAIMANTS, start=1):
        assert exchange_id in PAST, "a demo claim is for an exchange already held"
        _exchange(session, calendar, exchange_id)
        session.add(Claimant(application_id=application_id, name=name, email=f"claimant{number}@example.org",
                             language="en", participant_type="experience", event_time=BEFORE_ANY_EVENT,
                             manage_token_hash=token_hash(f"demo-expenses-claimant-{number}")))
        session.add(Attendance(exchange_id=exchange_id, application_id=application_id, stage="exchange",
                               attended=True, event_time=BEFORE_ANY_EVENT))
        session.flush()
        _claim(session, settings, calendar, application_id, exchange_id, status, number)


def _exchange(session: Session, calendar: Timeline, exchange_id: int) -> None:
    if session.get(Exchange, exchange_id) is None:
        starts = calendar.starts_at(exchange_id)
        session.add(Exchange(id=exchange_id, title=f"Exchange {exchange_id} (illustrative)", theme="T1",
                             starts_at=starts, ends_at=starts + timedelta(hours=6), event_time=BEFORE_ANY_EVENT))


def _claim(session: Session, settings: Settings, calendar: Timeline, application_id: int, exchange_id: int,
           status: str, number: int):
    day = calendar.day(exchange_id)
    claim = Claim(exchange_id=exchange_id, application_id=application_id, status="draft", total_pence=0, flags="")
    session.add(claim)
    session.flush()
    record(session, claim, "created", Actor("claimant", None, "Claimant"), None)
    receipt = _receipt(session, settings, application_id) if number == 1 else None
    lines = [
        ClaimItem(type="mileage", day=day, from_place="Aberaeron", to_place="Aberystwyth", description="",
                  miles_tenths=320 + 10 * number, vehicle="car", passengers=0, band_tenths=320 + 10 * number,
                  working=f"{32 + number} mi at 45p", amount_pence=(32 + number) * 45, flags=""),
        ClaimItem(type="subsistence", day=day, description="Lunch on the day", amount_pence=850 + 100 * number,
                  receipt_id=receipt.id if receipt else None,
                  lost_receipt_reason=None if receipt else "Paid cash at a market stall (illustrative)",
                  flags="" if receipt else "lost_receipt"),
    ]
    if number == 1:
        lines.append(ClaimItem(type="accommodation", day=day - timedelta(days=1), description="Guest house, night before",
                               amount_pence=13500, nights=1, over_cap_reason="The only room left near the venue",
                               lost_receipt_reason="Emailed receipt deleted by mistake", flags="over_cap lost_receipt"))
    for position, line in enumerate(lines):
        line.claim_id, line.position = claim.id, position
        session.add(line)
    claim.total_pence = sum(line.amount_pence for line in lines)
    claim.flags = " ".join(sorted({f for line in lines for f in line.flag_list()}))
    details = bank.BankDetails(f"{['R', 'D', 'S', 'A'][number - 1]} Example", "00-00-00", f"1234{number:04d}")
    bank.seal(claim, details, settings)
    if number == 1:  # the claimant replaced the bank details they first gave: finance sees it flagged
        claim.bank_changed_at = at(day + timedelta(days=1), time(19, 30))
        earlier = bank.BankDetails(details.account_name, "00-00-00", "12349999")
        record(session, claim, "bank_details_changed", Actor("claimant", None, "Claimant"), "draft",
               f"{bank.masked_details(earlier)} → {bank.masked_details(details)}")
    _move(session, claim, "submitted", Actor("claimant", None, "Claimant"))
    claim.submitted_at = claim.declared_at = at(day + timedelta(days=2), time(20, 15))
    if status == "queried":
        claim.question = "Was the journey one way or return? (illustrative)"
        _move(session, claim, "queried", FINANCE, claim.question)
    if status in ("approved", "paid"):
        claim.approved_pence, claim.approved_by, claim.approved_at = claim.total_pence, FINANCE.id, claim.submitted_at
        _move(session, claim, "approved", FINANCE)
    if status == "paid":
        run = PaymentRun(status="confirmed", created_by=FINANCE.id, created_by_name=FINANCE.name, claim_count=1,
                         total_pence=claim.payable_pence, approved_by=CHECKER.id, approved_by_name=CHECKER.name,
                         approved_at=datetime.now(UTC), closed_by=CHECKER.id, closed_by_name=CHECKER.name,
                         closed_at=datetime.now(UTC))
        session.add(run)
        session.flush()
        claim.payment_run_id = run.id
        _move(session, claim, "added_to_run", FINANCE, f"payment run {run.id}", status="in_run")
        claim.paid_at = datetime.now(UTC)
        _move(session, claim, "paid", CHECKER, f"payment run {run.id}")


def _move(session: Session, claim: Claim, action: str, actor: Actor, note: str | None = None, status: str | None = None):
    before = claim.status
    claim.status = status or action
    record(session, claim, action, actor, before, note)


def _receipt(session: Session, settings: Settings, application_id: int):
    out = io.BytesIO()
    Image.new("RGB", (320, 200), (245, 245, 235)).save(out, "PNG")
    return receipts.store(session, settings, application_id, "lunch-receipt.png", out.getvalue())

