"""The programme's figures: feedback per exchange and theme, impact against the target, and the
programme team's settings (kx additions, but for the feedback summary)."""

from __future__ import annotations

from shared import api
from shared.api import STAFF, checked_first
from shared.auth import authorise
from shared.web import db

from ..operations import figures, summaries
from ..operations.access import led_themes
from ..outputs import FeedbackSummaryOutput, ImpactOutput, SettingsOutput
from ..schemas import SettingsInput
from .blueprint import blueprint


def _admin() -> None:
    authorise("admin")


@blueprint.get("/feedback/summary")
@api.access(STAFF)
@api.response(FeedbackSummaryOutput)
def feedback_summary():
    """Feedback figures per exchange, theme, overall and conference (leads, admin)."""
    staff = authorise("theme_lead", "admin")
    return figures.feedback_summary(db(), led_themes(staff))


@blueprint.get("/impact")
@api.access(STAFF)
@api.response(ImpactOutput)
def impact():
    """Experiences of shared learning against the target (admin).

    A kx addition."""
    authorise("admin")
    return figures.impact(db())


@blueprint.put("/settings")
@api.access(STAFF)
@checked_first(_admin)
@api.arguments(SettingsInput)
@api.response(SettingsOutput)
def put_settings(data):
    """The impact target and the conference head count (admin).

    A kx addition."""
    return summaries.save_settings(db(), data, authorise("admin"))
