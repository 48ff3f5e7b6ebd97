"""The notifications database: one module per table; the bus tables from shared.

What notifications keeps: its messages and their attachments (the delivery log), the reminder
schedule, host announcements, and small projections of registration's events (exchanges' times,
bookings, manage links) holding only what a message needs.
"""

from shared.models import service_base

Base, Outbox, Inbox = service_base()

from .announcement import Announcement  # noqa: E402 - the models need Base first
from .attachment import Attachment  # noqa: E402
from .booking import Booking  # noqa: E402
from .exchange import Exchange  # noqa: E402
from .manage_link import ManageLink  # noqa: E402
from .message import Message  # noqa: E402
from .programme_end import ProgrammeEnd  # noqa: E402
from .reminder import Reminder  # noqa: E402

__all__ = ["Announcement", "Attachment", "Base", "Booking", "Exchange", "Inbox", "ManageLink", "Message",
           "Outbox", "ProgrammeEnd", "Reminder"]
