"""Illustrative demo data for notifications (KX_DEMO=1). No real person's name or address."""

from sqlalchemy.orm import Session

from shared.config import Settings


def load_demo(session: Session, settings: Settings) -> None:
    """Nothing yet: notifications's demo data arrives with its features."""
