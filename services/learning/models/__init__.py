"""The learning database: one module per table; the bus tables from shared."""

from .applicant import Applicant
from .attendance import Attendance
from .audit import Audit
from .base import Base, Inbox, Outbox
from .booking import Booking
from .exchange import Exchange
from .feedback import Feedback
from .pack import Pack
from .pack_request import PackRequest
from .programme import Programme
from .programme_end import ProgrammeEnd
from .programme_setting import ProgrammeSetting
from .reflection import Reflection
from .staff_contact import StaffContact
from .staff_version import StaffVersion
from .summary import Summary
from .summary_history import SummaryHistory
from .summary_signature import SummarySignature
from .summary_version import SummaryVersion
from .theme import Theme
from .theme_synthesis import ThemeSynthesis, ThemeSynthesisVersion

__all__ = [
    "Applicant", "Attendance", "Audit", "Base", "Booking", "Exchange", "Feedback", "Inbox", "Outbox", "Pack",
    "PackRequest", "ProgrammeEnd", "ProgrammeSetting", "Reflection", "StaffContact", "Programme", "StaffVersion", "Summary",
    "SummaryHistory", "SummarySignature", "SummaryVersion", "Theme", "ThemeSynthesis", "ThemeSynthesisVersion",
]
