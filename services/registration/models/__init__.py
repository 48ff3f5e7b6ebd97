"""The registration database: one module per table; the bus tables from shared."""

from shared.models import service_base

Base, Outbox, Inbox = service_base()

from .application import Application  # noqa: E402 - the tables need Base first
from .attendance import Attendance  # noqa: E402
from .booking import ACTIVE, ACTIVE_CONDITION, Booking  # noqa: E402
from .exchange import Exchange  # noqa: E402
from .exchange_host import ExchangeHost  # noqa: E402
from .idempotency_key import IdempotencyKey  # noqa: E402
from .privacy_request import PrivacyAnswer, PrivacyRequest  # noqa: E402
from .programme_end import ProgrammeEnd  # noqa: E402
from .staff_account import StaffAccount  # noqa: E402
from .staff_role import StaffRole  # noqa: E402
from .theme import Subtheme, Theme  # noqa: E402

__all__ = ["ACTIVE", "ACTIVE_CONDITION", "Application", "Attendance", "Base", "Booking", "Exchange", "ExchangeHost",
           "IdempotencyKey", "Inbox", "Outbox", "PrivacyAnswer", "PrivacyRequest", "ProgrammeEnd", "StaffAccount", "StaffRole", "Subtheme", "Theme"]
