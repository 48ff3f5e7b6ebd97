"""The notifications service as the shared machinery sees it."""

from pathlib import Path

from shared.service import Service

from .config import mail_settings
from .handlers import HANDLERS
from .jobs import REMIND, SEND
from .models import Base, Inbox, Outbox
from .privacy import HANDLERS as PRIVACY_HANDLERS
from .privacy import RETENTION

SERVICE = Service(
    name="notifications",
    base=Base,
    outbox=Outbox,
    inbox=Inbox,
    package_dir=Path(__file__).parent,
    handlers=HANDLERS + PRIVACY_HANDLERS,
    periodic=(SEND, REMIND, RETENTION),
    check_settings=mail_settings,
)
