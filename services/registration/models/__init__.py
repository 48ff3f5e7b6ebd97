"""The registration database: one module per table; the bus tables from shared."""

from .application import Application
from .apply_draft import ApplyDraft
from .attendance import Attendance
from .audit import Audit
from .base import Base, Inbox, Outbox
from .booking import ACTIVE, ACTIVE_CONDITION, Booking
from .exchange import Exchange
from .exchange_host import ExchangeHost
from .idempotency_key import IdempotencyKey
from .password_link import PasswordLink
from .privacy_request import PrivacyAnswer, PrivacyRequest
from .programme_end import ProgrammeEnd
from .rate_limit import RateLimit
from .recovery_code import RecoveryCode
from .staff_account import StaffAccount
from .staff_role import StaffRole
from .theme import Subtheme, Theme

__all__ = ["ACTIVE", "ACTIVE_CONDITION", "Application", "ApplyDraft", "Attendance", "Audit", "Base", "Booking", "Exchange", "ExchangeHost",
           "IdempotencyKey", "Inbox", "Outbox", "PasswordLink", "PrivacyAnswer", "PrivacyRequest", "ProgrammeEnd", "RateLimit", "RecoveryCode", "StaffAccount", "StaffRole", "Subtheme", "Theme"]
