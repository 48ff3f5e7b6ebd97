"""The learning database: one module per table; the bus tables from shared."""

from shared.models import service_base

Base, Outbox, Inbox = service_base()

from .applicant import Applicant  # noqa: E402 - the tables need Base first
from .attendance import Attendance  # noqa: E402
from .booking import Booking  # noqa: E402
from .exchange import Exchange  # noqa: E402
from .feedback import Feedback  # noqa: E402
from .pack import Pack  # noqa: E402
from .pack_request import PackRequest  # noqa: E402
from .programme_end import ProgrammeEnd  # noqa: E402
from .programme_setting import ProgrammeSetting  # noqa: E402
from .reflection import Reflection  # noqa: E402
from .summary import Summary  # noqa: E402
from .summary_history import SummaryHistory  # noqa: E402
from .summary_version import SummaryVersion  # noqa: E402
from .theme import Theme  # noqa: E402

__all__ = [
    "Applicant", "Attendance", "Base", "Booking", "Exchange", "Feedback", "Inbox", "Outbox", "Pack",
    "PackRequest", "ProgrammeEnd", "ProgrammeSetting", "Reflection", "Summary", "SummaryHistory", "SummaryVersion", "Theme",
]
