"""`/feedback` and `/reflections`: what a participant gives through their manage token."""

from __future__ import annotations

from shared import api
from shared.api import TOKEN
from shared.web import db

from ..operations import participants
from ..outputs import FeedbackOutput, ReflectionOutput
from ..schemas import FeedbackInput, ReflectionInput
from .blueprint import blueprint


@blueprint.post("/feedback")
@api.access(TOKEN, errors=(403, 409))
@api.arguments(FeedbackInput)
@api.response(FeedbackOutput, 201)
@api.alt_response(200, FeedbackOutput)
def feedback(data):
    """Feedback on an exchange or the conference, by manage token (201 new, 200 replaced)."""
    applicant = participants.applicant_for(db(), data["manage_token"])
    row, replaced = participants.give_feedback(db(), applicant, data)
    return {"feedback": row, "replaced": replaced}, 200 if replaced else 201


@blueprint.put("/reflections")
@api.access(TOKEN, errors=(403, 409))
@api.arguments(ReflectionInput)
@api.response(ReflectionOutput)
def reflection(data):
    """A participant's reflection on an exchange, by manage token.

    A kx addition."""
    applicant = participants.applicant_for(db(), data["manage_token"])
    return participants.save_reflection(db(), applicant, data)
