"""The learning API's OpenAPI operations (served at `/learning/api/openapi.json`).

Paths as `api.py` routes them, relative to `/learning/api`; the bodies are the schemas the views
load. See shared/openapi.py.
"""

from __future__ import annotations

from shared.openapi import (
    BOOL,
    DATETIME,
    INT,
    NUM,
    STAFF,
    STR,
    TOKEN,
    Operation,
    array,
    nullable,
    obj,
)

from .schemas import FeedbackInput, ReflectionInput, ReviewInput, SettingsInput, SummaryInput

SUMMARY = obj(
    required=("exchange_id", "status", "version"),
    exchange_id=INT, status=nullable(STR), version=INT, approved_version=nullable(INT), key_insights=array(STR),
    innovations=STR, challenges=STR, transferable_ideas=STR, outcomes_met=array(STR), contributors=array(STR),
    publish=nullable(BOOL), return_comment=nullable(STR), updated_at=nullable(DATETIME),
)
HISTORY = obj(
    required=("history", "versions"),
    history=array(obj(at=DATETIME, action=STR, version=nullable(INT), status=nullable(STR), actor=nullable(STR),
                      comment=nullable(STR))),
    versions=array(SUMMARY),
)
RATE = {"responses": INT, "attendees": INT, "response_rate": nullable(INT), "would_recommend_pct": nullable(INT),
        "average_rating": nullable(NUM), "ratings": {"type": "object", "additionalProperties": INT}}
FEEDBACK_SUMMARY = obj(
    required=("exchanges", "themes", "overall", "conference"),
    exchanges=array(obj(exchange_id=INT, title=STR, theme=STR, **RATE)), themes=array(obj(theme=STR, **RATE)),
    overall=obj(**RATE), conference=obj(**RATE),
)
COUNTS = {"type": "object", "additionalProperties": INT}
IMPACT = obj(required=("experiences",), experiences=INT, target=nullable(INT), progress_pct=nullable(INT),
             by_stage=COUNTS, by_theme=COUNTS, by_participant_type=COUNTS, by_sector=COUNTS)
BUILDING = obj(required=("status",), status=STR, stage=nullable(STR), progress=nullable(NUM), retry_after=INT)
PACK_QUERY = {"lang": {"type": "string", "enum": ["en", "cy"]}}

OPERATIONS = {
    "GET /exchanges/<int:exchange_id>/summary": Operation(
        "The latest version of the exchange's summary, with its status (host, theme lead, admin).",
        access=STAFF, response=SUMMARY),
    "PUT /exchanges/<int:exchange_id>/summary": Operation("Save a draft: a new version (host of it, admin).",
                                                          access=STAFF, body=SummaryInput, response=SUMMARY,
                                                          errors=(409,)),
    "POST /exchanges/<int:exchange_id>/summary/submit": Operation(
        "Submit the draft for approval (host of it, admin).", access=STAFF, response=SUMMARY, errors=(409,)),
    "POST /exchanges/<int:exchange_id>/summary/approve": Operation(
        "Approve the submitted summary (theme lead of its theme, admin).", access=STAFF, body=ReviewInput,
        response=SUMMARY, errors=(409,)),
    "POST /exchanges/<int:exchange_id>/summary/return": Operation(
        "Return it to the host with a comment (theme lead of its theme, admin).", access=STAFF, body=ReviewInput,
        response=SUMMARY, errors=(409,)),
    "GET /exchanges/<int:exchange_id>/summary/history": Operation(
        "Every save, submission, approval and return, with the versions.", access=STAFF, response=HISTORY),
    "GET /themes/<code>/pack.pdf": Operation(
        "The theme's workshop pack (theme lead of it, admin); 202 while it is being built.", access=STAFF,
        query=PACK_QUERY, response="application/pdf", also={202: BUILDING}),
    "GET /programme/pack.pdf": Operation("The whole programme's pack (admin); 202 while it is being built.",
                                         access=STAFF, query=PACK_QUERY, response="application/pdf",
                                         also={202: BUILDING}),
    "POST /feedback": Operation(
        "Feedback on an exchange or the conference, by manage token (201 new, 200 replaced).", access=TOKEN,
        body=FeedbackInput, status=201, errors=(403, 409),
        response=obj(required=("about", "would_recommend", "rating"), about=STR, would_recommend=BOOL, rating=INT,
                     comment=STR, replaced=BOOL),
        also={200: obj(about=STR, would_recommend=BOOL, rating=INT, comment=STR, replaced=BOOL)}),
    "GET /feedback/summary": Operation("Feedback figures per exchange, theme, overall and conference (leads, admin).",
                                       access=STAFF, response=FEEDBACK_SUMMARY),
    "PUT /reflections": Operation(
        "A participant's reflection on an exchange, by manage token.", access=TOKEN, body=ReflectionInput,
        errors=(403, 409), response=obj(required=("exchange_id", "text"), exchange_id=INT, text=STR, credit_as=STR)),
    "GET /impact": Operation("Experiences of shared learning against the target (admin).", access=STAFF,
                             response=IMPACT),
    "PUT /settings": Operation("The impact target and the conference head count (admin).", access=STAFF,
                               body=SettingsInput,
                               response=obj(impact_target=nullable(INT), conference_attendees=nullable(INT))),
    "GET /library": Operation(
        "Published summaries; `theme` and `q` filter.", query={"theme": STR, "q": STR},
        response=array(obj(required=("exchange_id", "title"), exchange_id=INT, title=STR, theme=STR, url=STR,
                           key_insights=array(STR)))),
}
