"""The expenses database: one module per table; the bus tables from shared."""

from .attendance import Attendance
from .audit import Audit
from .base import Base, Inbox, Outbox
from .claim import Claim
from .claim_history import ClaimHistory
from .claim_item import ClaimItem
from .claimant import Claimant
from .exchange import Exchange
from .history_note import HistoryNote
from .payment_run import PaymentRun
from .programme import Programme
from .programme_end import ProgrammeEnd
from .receipt import Receipt
from .staff_version import StaffVersion

__all__ = ["Attendance", "Audit", "Base", "Claim", "ClaimHistory", "ClaimItem", "Claimant", "Exchange", "HistoryNote", "Inbox",
           "Outbox",
           "PaymentRun", "ProgrammeEnd", "Receipt", "Programme", "StaffVersion"]
