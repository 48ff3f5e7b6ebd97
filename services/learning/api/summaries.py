"""`/exchanges/<id>/summary`: a host writes and submits the summary of their exchange, a lead of
its theme approves or returns it; each answer is the summary's latest version."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.web import db

from ..operations import summaries
from ..operations.access import may_read, may_review, may_write
from ..outputs import HistoryOutput, SummaryOutput
from ..schemas import ReviewInput, SummaryInput
from .blueprint import blueprint
from .checks import checked_first


def _exchange_for(may):
    """The exchange of the path (404) and the member of staff `may(exchange)` lets act on it."""

    def check(exchange_id: int) -> dict:
        exchange = summaries.exchange_or_404(db(), exchange_id)
        return {"exchange": exchange, "staff": may(exchange)}

    return check


@blueprint.get("/exchanges/<int:exchange_id>/summary")
@api.access(STAFF)
@checked_first(_exchange_for(may_read))
@api.response(SummaryOutput)
def get_summary(exchange, staff):
    """The latest version of the exchange's summary, with its status (host, theme lead, admin)."""
    return summaries.latest_summary(db(), exchange.id)


@blueprint.put("/exchanges/<int:exchange_id>/summary")
@api.access(STAFF, errors=(409,))
@checked_first(_exchange_for(may_write))
@api.arguments(SummaryInput)
@api.response(SummaryOutput)
def put_summary(data, exchange, staff):
    """Save a draft: a new version (host of it, admin)."""
    summaries.save_summary(db(), exchange, data, staff)
    return summaries.latest_summary(db(), exchange.id)


@blueprint.post("/exchanges/<int:exchange_id>/summary/submit")
@api.access(STAFF, errors=(409,))
@checked_first(_exchange_for(may_write))
@api.response(SummaryOutput)
def submit(exchange, staff):
    """Submit the draft for approval (host of it, admin)."""
    summaries.submit_summary(db(), exchange, staff)
    return summaries.latest_summary(db(), exchange.id)


@blueprint.post("/exchanges/<int:exchange_id>/summary/approve")
@api.access(STAFF, errors=(409,))
@checked_first(_exchange_for(may_review))
@api.arguments(ReviewInput, required=False)
@api.response(SummaryOutput)
def approve(data, exchange, staff):
    """Approve the submitted summary (theme lead of its theme, admin).

    The body, with its optional comment, may be left out."""
    summaries.approve_summary(db(), exchange, staff, data["comment"])
    return summaries.latest_summary(db(), exchange.id)


@blueprint.post("/exchanges/<int:exchange_id>/summary/return")
@api.access(STAFF, errors=(409,))
@checked_first(_exchange_for(may_review))
@api.arguments(ReviewInput)
@api.response(SummaryOutput)
def return_(data, exchange, staff):
    """Return it to the host with a comment (theme lead of its theme, admin)."""
    summaries.return_summary(db(), exchange, staff, data["comment"])
    return summaries.latest_summary(db(), exchange.id)


@blueprint.get("/exchanges/<int:exchange_id>/summary/history")
@api.access(STAFF)
@checked_first(_exchange_for(may_read))
@api.response(HistoryOutput)
def summary_history(exchange, staff):
    """Every save, submission, approval and return, with the versions.

    A kx addition: oldest first."""
    return summaries.summary_history(db(), exchange.id)
