"""The registration API's OpenAPI operations (served at `/registration/api/openapi.json`).

Paths as `api.py` routes them, relative to `/registration/api`; the bodies are the schemas the
views load. See shared/openapi.py.
"""

from __future__ import annotations

from shared.openapi import (
    BOOL,
    DATETIME,
    INT,
    STAFF,
    STR,
    TOKEN,
    Operation,
    array,
    nullable,
    obj,
)

from .schemas import (
    ApplicationInput,
    AttendanceInput,
    ExchangeInput,
    ExchangeQuery,
    ThemeInput,
    TokenInput,
)

SESSION = nullable(obj(starts_at=DATETIME, url=nullable(STR)))
EXCHANGE = obj(
    required=("id", "title", "theme", "host", "location", "starts_at", "ends_at", "capacity", "places_left",
              "waitlist_length", "booking_closes_at", "status"),
    id=INT, title=STR, theme=STR, subtheme=nullable(STR),
    host=obj(required=("name",), name=STR, accounts=array(STR)),
    location=obj(site=STR, town=STR), starts_at=DATETIME, ends_at=DATETIME, capacity=INT, places_left=INT,
    waitlist_length=INT, booking_closes_at=DATETIME, status={"type": "string", "enum": ["open", "full", "closed"]},
    description=STR, learning_outcomes=array(STR), orientation=SESSION, reflection=SESSION,
    time_commitment=STR,
    reserved_places=obj(experience=INT, occupation=INT, until=nullable(DATETIME)),
)
THEME = obj(required=("code", "title", "subthemes"), code=STR, title=STR,
            subthemes=array(obj(required=("code", "title"), code=STR, title=STR)))
BOOKING_STATUS = {"type": "string", "enum": ["confirmed", "waitlisted", "closed", "already_booked", "cancelled"]}
APPLIED = obj(
    required=("application_id", "manage_token", "bookings", "warnings"),
    application_id=INT, manage_token=STR,
    bookings=array(obj(required=("exchange_id", "status"), exchange_id=INT, status=BOOKING_STATUS,
                       waitlist_position=nullable(INT))),
    warnings=array(obj(required=("code",), code=STR, exchange_ids=array(INT), date=STR, session=STR)),
)
APPLICATION = obj(
    required=("application_id", "applicant", "bookings"),
    application_id=INT, created_at=DATETIME,
    applicant=obj(name=STR, email=STR, organisation=STR, role=STR, participant_type=STR, stakeholder_group=STR,
                  language=STR, access_needs=STR),
    line_manager_permission=STR, will_attend_sessions=BOOL,
    bookings=array(obj(required=("exchange_id", "status"), exchange_id=INT, status=BOOKING_STATUS,
                       waitlist_position=nullable(INT),
                       exchange=obj(title=STR, starts_at=DATETIME, ends_at=DATETIME,
                                    location=obj(site=STR, town=STR)))),
)
PARTICIPANT = obj(
    required=("booking_id", "application_id", "status", "name", "email"),
    booking_id=INT, application_id=INT, status=STR, waitlist_position=nullable(INT), name=STR, email=STR,
    organisation=STR, role=STR, participant_type=STR, stakeholder_group=STR, language=STR, access_needs=STR,
    attendance={"type": "object", "additionalProperties": nullable(BOOL)},
)
NUMBERS = array(obj(required=("id", "capacity", "confirmed", "waitlisted", "cancelled", "places_left", "status"),
                    id=INT, title=STR, theme=STR, starts_at=DATETIME, capacity=INT, confirmed=INT, waitlisted=INT,
                    cancelled=INT, places_left=INT, status=STR, closed_early=BOOL))
PRIVACY_REQUEST = obj(
    required=("id", "kind", "received_at", "due_at", "status", "services"),
    id=STR, kind=STR, received_at=DATETIME, due_at=DATETIME, completed_at=nullable(DATETIME),
    status={"type": "string", "enum": ["complete", "in_progress"]}, overdue=BOOL,
    services={"type": "object", "additionalProperties": obj(status=STR, answered_at=nullable(DATETIME))},
)
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}

OPERATIONS = {
    "GET /themes": Operation("The themes and their sub-themes.", response=array(THEME)),
    "POST /themes": Operation("Add a theme (admin).", access=STAFF, body=ThemeInput, response=THEME, status=201,
                              errors=(409,)),
    "PATCH /themes/<code>": Operation("Change a theme's title or sub-themes (admin).", access=STAFF,
                                      body=ThemeInput(partial=True, exclude=("code",)), response=THEME,
                                      errors=(409,)),
    "GET /exchanges": Operation("The catalogue, filtered.", query=ExchangeQuery, response=array(EXCHANGE)),
    "POST /exchanges": Operation("Publish an exchange (admin).", access=STAFF, body=ExchangeInput,
                                 response=EXCHANGE, status=201, errors=(409,)),
    "GET /exchanges/<int:exchange_id>": Operation("One exchange.", response=EXCHANGE),
    "PATCH /exchanges/<int:exchange_id>": Operation("Change the fields sent (admin).", access=STAFF,
                                                    body=ExchangeInput(partial=True), response=EXCHANGE,
                                                    errors=(409,)),
    "POST /exchanges/<int:exchange_id>/close": Operation("Close booking early (admin).", access=STAFF,
                                                         response=EXCHANGE),
    "POST /exchanges/<int:exchange_id>/reopen": Operation("Reopen booking (admin).", access=STAFF,
                                                          response=EXCHANGE),
    "GET /numbers": Operation("The programme team's numbers per exchange (admin).", access=STAFF,
                              response=NUMBERS),
    "POST /applications": Operation(
        "Apply for one or more exchanges: first come, first served.", body=ApplicationInput, response=APPLIED,
        status=201, errors=(409, 429), parameters=(IDEMPOTENCY_KEY,),
        description="An `Idempotency-Key` header makes a retried request return the first answer."),
    "GET /applications/<token>": Operation("The application of this manage token, with its bookings.",
                                           access=TOKEN, response=APPLICATION),
    "POST /applications/<token>/bookings/<int:exchange_id>/cancel": Operation(
        "Cancel a booking; the first on the waiting list is promoted.", access=TOKEN,
        response=obj(required=("status", "exchange_id"), status=STR, exchange_id=INT), errors=(409,)),
    "GET /exchanges/<int:exchange_id>/participants": Operation(
        "The exchange's participants (host of it, admin); `Accept: text/csv` for CSV.", access=STAFF,
        response=array(PARTICIPANT)),
    "POST /exchanges/<int:exchange_id>/attendance": Operation(
        "Record attendance at a stage (host of it, admin).", access=STAFF, body=AttendanceInput,
        response=obj(required=("exchange_id", "email", "stage", "attended"), exchange_id=INT, email=STR, stage=STR,
                     attended=BOOL)),
    "POST /auth/token": Operation(
        "Staff sign-in: a bearer token for every service.", body=TokenInput, errors=(401, 429),
        response=obj(required=("token", "expires_at", "roles"), token=STR, expires_at=DATETIME,
                     roles={"type": "object", "additionalProperties": array({})})),
    "POST /privacy/requests": Operation(
        "A subject access or erasure request for one email address (admin); every service answers.",
        access=STAFF, status=202, errors=(409,),  # privacy_requests.PrivacyRequestInput (it imports api.py: written out here)
        body=obj(required=("email", "kind"), email=STR, kind={"type": "string", "enum": ["access", "erasure"]}),
        response=obj(required=("id", "due_at"), id=STR, due_at=DATETIME)),
    "GET /privacy/requests": Operation("Every privacy request, newest first (admin).", access=STAFF,
                                       response=array(PRIVACY_REQUEST)),
    "GET /privacy/requests/<request_id>": Operation("One privacy request and which services answered (admin).",
                                                    access=STAFF, response=PRIVACY_REQUEST),
    "GET /privacy/requests/<request_id>/export.json": Operation(
        "The complete answer to an access request, as a file (admin).", access=STAFF, errors=(409,),
        response=obj(request=obj(id=STR), services={"type": "object"})),
}
