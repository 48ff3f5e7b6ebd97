"""The registration service as the shared machinery sees it."""

from pathlib import Path

from shared.service import Periodic, Service

from .demo import load_demo
from .handlers import HANDLERS
from .jobs import forget_apply_drafts, forget_idempotency_keys, promote_after_reservations
from .models import Base, Inbox, Outbox
from .operations.sign_out import standing
from .privacy import RETENTION

SERVICE = Service(
    name="registration",
    base=Base,
    outbox=Outbox,
    inbox=Inbox,
    package_dir=Path(__file__).parent,
    handlers=HANDLERS,
    periodic=(
        Periodic("promote-after-reservations", promote_after_reservations, interval=60.0),
        Periodic("forget-idempotency-keys", forget_idempotency_keys, interval=3600.0),
        Periodic("forget-apply-drafts", forget_apply_drafts, interval=600.0),
        RETENTION,
    ),
    load_demo=load_demo,
    staff_standing=standing,
)
