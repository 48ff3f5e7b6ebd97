"""The learning service as the shared machinery sees it."""

from pathlib import Path

from shared.service import Service

from .demo import load_demo
from .handlers import HANDLERS
from .models import Base, Inbox, Outbox
from .packs.build import BUILD_PACKS
from .privacy import HANDLERS as PRIVACY_HANDLERS
from .privacy import RETENTION

SERVICE = Service(
    name="learning",
    base=Base,
    outbox=Outbox,
    inbox=Inbox,
    package_dir=Path(__file__).parent,
    handlers=HANDLERS + PRIVACY_HANDLERS,
    periodic=(BUILD_PACKS, RETENTION),
    load_demo=load_demo,
)
