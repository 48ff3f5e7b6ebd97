"""What the learning API answers: output schemas that list every field, so no column leaks and the
OpenAPI document (shared/openapi.py) says exactly what an answer holds. Times are written by
`shared.api.iso` (UTC, with its offset)."""

from __future__ import annotations

from flask import url_for
from marshmallow import fields

from shared.api import DateTime, Output


class SummaryOutput(Output):
    """A summary at one version (operations.summaries.SummaryAt); `status` is null on the versions
    of its history, "not_started" before the first version."""

    exchange_id = fields.Integer(required=True)
    status = fields.String(required=True, allow_none=True)
    version = fields.Integer(required=True, attribute="number")
    approved_version = fields.Integer(required=True, allow_none=True)
    key_insights = fields.List(fields.String(), required=True)
    innovations = fields.String(required=True)
    challenges = fields.String(required=True)
    transferable_ideas = fields.String(required=True)
    outcomes_met = fields.List(fields.String(), required=True)
    contributors = fields.List(fields.String(), required=True)
    #: en | cy: the language the version was written in (null before the first version)
    language = fields.String(required=True, allow_none=True)
    publish = fields.Boolean(required=True, allow_none=True)
    return_comment = fields.String(required=True, allow_none=True)
    updated_at = DateTime(required=True, allow_none=True)


class HistoryLineOutput(Output):
    """One line of a summary's history (SummaryHistory)."""

    at = DateTime(required=True)
    action = fields.String(required=True)
    version = fields.Integer(required=True)
    status = fields.String(required=True)
    actor = fields.String(required=True, attribute="actor_name")
    comment = fields.String(required=True, allow_none=True)


class HistoryOutput(Output):
    history = fields.List(fields.Nested(HistoryLineOutput), required=True)
    versions = fields.List(fields.Nested(SummaryOutput), required=True)


class BuildingOutput(Output):
    """202 while a pack is being built: how far the worker has got, and when to ask again."""

    status = fields.String(required=True)
    stage = fields.String(required=True, allow_none=True)
    progress = fields.Integer(required=True)
    retry_after = fields.Integer(required=True)


class FeedbackOutput(Output):
    """The feedback given (`feedback`, a Feedback row) and whether it replaced an earlier one."""

    about = fields.String(required=True, attribute="feedback.about")
    would_recommend = fields.Boolean(required=True, attribute="feedback.would_recommend")
    rating = fields.Integer(required=True, attribute="feedback.rating")
    comment = fields.String(required=True, attribute="feedback.comment")
    replaced = fields.Boolean(required=True)


class RateOutput(Output):
    """Feedback on one thing (operations.figures.Rate.as_json)."""

    responses = fields.Integer(required=True)
    attendees = fields.Integer(required=True)
    response_rate = fields.Integer(required=True, allow_none=True)
    would_recommend_pct = fields.Integer(required=True, allow_none=True)
    average_rating = fields.Float(required=True, allow_none=True)
    ratings = fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class ExchangeRateOutput(RateOutput):
    exchange_id = fields.Integer(required=True)
    title = fields.String(required=True)
    theme = fields.String(required=True)


class ThemeRateOutput(RateOutput):
    theme = fields.String(required=True)


class FeedbackSummaryOutput(Output):
    """Feedback per exchange and theme (those the caller leads), overall and for the conference."""

    exchanges = fields.List(fields.Nested(ExchangeRateOutput), required=True)
    themes = fields.List(fields.Nested(ThemeRateOutput), required=True)
    overall = fields.Nested(RateOutput, required=True)
    conference = fields.Nested(RateOutput, required=True)


def _counts():
    return fields.Dict(keys=fields.String(), values=fields.Integer(), required=True)


class ImpactOutput(Output):
    """Experiences of shared learning against the target (operations.figures.impact)."""

    experiences = fields.Integer(required=True)
    target = fields.Integer(required=True, allow_none=True)
    progress_pct = fields.Integer(required=True, allow_none=True)
    by_stage = _counts()
    by_theme = _counts()
    by_participant_type = _counts()
    by_sector = _counts()


class ReflectionOutput(Output):
    exchange_id = fields.Integer(required=True)
    text = fields.String(required=True)
    credit_as = fields.String(required=True)


class SettingsOutput(Output):
    impact_target = fields.Integer(required=True, allow_none=True)
    conference_attendees = fields.Integer(required=True, allow_none=True)


class LibraryEntryOutput(Output):
    """A published summary (operations.library.Entry) and the address of its page."""

    exchange_id = fields.Integer(required=True, attribute="exchange.id")
    title = fields.String(required=True, attribute="exchange.title")
    theme = fields.String(required=True, attribute="exchange.theme")
    url = fields.Function(lambda entry: url_for("learning.library_entry", exchange_id=entry.exchange.id),
                          required=True, metadata={"type": "string"})
    key_insights = fields.List(fields.String(), required=True, attribute="version.key_insights")


class ActionOutput(Output):
    action = fields.String(required=True)
    owner = fields.String(required=True)
    by_when = fields.String(required=True)


class SynthesisOutput(Output):
    """A theme's synthesis at its latest version (operations.synthesis.view): `status` is
    "not_started" before the first version, "draft" when the latest is not the published one."""

    theme = fields.String(required=True)
    status = fields.String(required=True)
    version = fields.Integer(required=True)
    published_version = fields.Integer(required=True, allow_none=True)
    published_at = DateTime(required=True, allow_none=True)
    saved_at = DateTime(required=True, allow_none=True)
    author = fields.String(required=True, allow_none=True)
    key_messages = fields.List(fields.String(), required=True)
    key_messages_cy = fields.List(fields.String(), required=True)
    workshop_questions = fields.List(fields.String(), required=True)
    workshop_questions_cy = fields.List(fields.String(), required=True)
    actions = fields.List(fields.Nested(ActionOutput), required=True)
    actions_cy = fields.List(fields.String(), required=True)
