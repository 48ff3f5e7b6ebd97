"""The expenses database: one module per table; the bus tables from shared."""

from shared.models import service_base

Base, Outbox, Inbox = service_base()

from .attendance import Attendance  # noqa: E402 - the tables need Base first
from .claim import Claim  # noqa: E402
from .claim_history import ClaimHistory  # noqa: E402
from .claim_item import ClaimItem  # noqa: E402
from .claimant import Claimant  # noqa: E402
from .exchange import Exchange  # noqa: E402
from .payment_run import PaymentRun  # noqa: E402
from .programme_end import ProgrammeEnd  # noqa: E402
from .receipt import Receipt  # noqa: E402

__all__ = ["Attendance", "Base", "Claim", "ClaimHistory", "ClaimItem", "Claimant", "Exchange", "Inbox", "Outbox",
           "PaymentRun", "ProgrammeEnd", "Receipt"]
