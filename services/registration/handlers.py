"""What registration does with events from the bus: `Handler(name, event types, func)`.

Each handler runs in one transaction with its inbox row; it writes rows and emits events, and
never commits itself.
"""

from sqlalchemy.orm import Session

from shared.config import SERVICES
from shared.db import utcnow
from shared.privacy import ANSWERED
from shared.service import Handler

from .models import PrivacyRequest
from .operations.privacy_requests import record_answer


def gather(session: Session, envelope: dict, data: dict) -> None:
    """A service's answer to a privacy request (operations/privacy_requests.py)."""
    request = session.get(PrivacyRequest, data["request_id"])
    if request is not None and data["service"] in SERVICES:
        record_answer(session, request, data["service"], data["data"], utcnow())


HANDLERS: tuple[Handler, ...] = (Handler("privacy-answers", tuple(ANSWERED.values()), gather),)
