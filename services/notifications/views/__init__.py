"""Notifications pages (the API is in `api/`).

Staff (admin): the delivery log with search by recipient, each message, resend. Hosts (and
admins): an exchange's joining information, on a page and through the API. Each journey's module
adds its routes to the one blueprint (`blueprint.py`).
"""

from . import announcements, audit, delivery_log, messages_to_people  # noqa: F401 - their routes
from .blueprint import blueprint

__all__ = ["blueprint"]
