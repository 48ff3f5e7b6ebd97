"""The notifications database: one module per table; the bus tables from shared.

What notifications keeps: its messages and their attachments (the delivery log), the reminder
schedule, host announcements, and small projections of registration's events (exchanges' times,
bookings, manage links, staff accounts' addresses and languages) holding only what a message needs.
"""

from .announcement import Announcement
from .attachment import Attachment
from .audit import Audit
from .base import Base, Inbox, Outbox
from .booking import Booking
from .exchange import Exchange
from .manage_link import ManageLink
from .message import Message
from .programme import Programme
from .programme_end import ProgrammeEnd
from .reminder import Reminder
from .staff_contact import StaffContact
from .staff_version import StaffVersion

__all__ = ["Announcement", "Attachment", "Audit", "Base", "Booking", "Exchange", "Inbox", "ManageLink", "Message",
           "Outbox", "ProgrammeEnd", "Reminder", "StaffContact",
           "Programme", "StaffVersion"]
