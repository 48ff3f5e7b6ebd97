"""Finance's dashboard: claimed, approved and paid by exchange, theme and month (kx addition)."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.web import db

from ..operations import queue
from ..operations.access import finance
from ..outputs import DashboardOutput
from .blueprint import blueprint


@blueprint.get("/dashboard")
@api.access(STAFF)
@api.response(DashboardOutput)
def dashboard():
    """Claimed, approved and paid by exchange, theme and month (finance)."""
    finance()
    return queue.dashboard(db())
