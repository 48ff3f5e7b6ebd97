"""The expenses service as the shared machinery sees it."""

from pathlib import Path

from shared.service import Periodic, Service

from .demo import load_demo
from .handlers import HANDLERS
from .jobs import FORGET_UNATTACHED_RECEIPTS
from .models import Base, Inbox, Outbox
from .operations.bank import rotate_keys
from .privacy import HANDLERS as PRIVACY_HANDLERS
from .privacy import RETENTION

SERVICE = Service(
    name="expenses",
    base=Base,
    outbox=Outbox,
    inbox=Inbox,
    package_dir=Path(__file__).parent,
    handlers=HANDLERS + PRIVACY_HANDLERS,
    # bank details sealed under an older key are re-encrypted with the newest (KX_EXPENSES_KEYS)
    periodic=(Periodic("rotate-bank-keys", rotate_keys, interval=60.0), RETENTION, FORGET_UNATTACHED_RECEIPTS),
    load_demo=load_demo,
)
