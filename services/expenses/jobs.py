"""Expenses' periodic jobs, run by its worker (and by `kx run`'s embedded one): see
shared.service.Periodic. Rotating bank keys lives with the bank details (operations/bank.py),
retention with the rest of privacy (privacy.RETENTION)."""

from __future__ import annotations

from datetime import datetime

from shared.service import Periodic, Runtime

from .operations import receipts


def forget_unattached_receipts(runtime: Runtime, now: datetime | None = None) -> int:
    """Receipts no claim took up within a day of their upload (`now` for tests to move the clock)."""
    with runtime.session() as session, session.begin():
        return receipts.forget_unattached(session, runtime.settings, now)


#: hourly: a receipt lives at most 25 hours unattached
FORGET_UNATTACHED_RECEIPTS = Periodic("forget-unattached-receipts", forget_unattached_receipts, interval=3600.0)
