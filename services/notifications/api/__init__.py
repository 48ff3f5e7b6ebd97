"""The notifications API (`/notifications/api`): bearer tokens, JSON in and out, the one error format.

`GET /messages?to=<email>` (admin) is the contract's; the announcement endpoints are kx's. Each
resource's module adds its routes to the one blueprint (`blueprint.py`).
"""

from shared.openapi import publish

from . import announcements, audit, messages, messages_to_people  # noqa: F401 - their routes
from .blueprint import blueprint

publish(blueprint, "kx notifications API")

__all__ = ["blueprint"]
