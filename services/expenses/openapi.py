"""The expenses API's OpenAPI operations (served at `/expenses/api/openapi.json`).

Paths as `api.py` routes them, relative to `/expenses/api`; the bodies are the schemas the views
load. See shared/openapi.py.
"""

from __future__ import annotations

from shared.openapi import (
    DATE,
    DATETIME,
    INT,
    NUM,
    STAFF,
    STAFF_OR_TOKEN,
    STR,
    TOKEN,
    Operation,
    array,
    nullable,
    obj,
)

from .schemas import (
    AmendInput,
    ApproveInput,
    ClaimInput,
    QuestionInput,
    ReasonInput,
    RunInput,
    TokenInput,
)

ITEM = obj(
    required=("id", "type", "date", "amount_pence"),
    id=INT, type=STR, date=DATE, description=STR, amount_pence=INT, flags=array(STR), approved=nullable({}),
    from_=nullable(STR), to=nullable(STR), miles=NUM, vehicle=nullable(STR), passengers=nullable(INT),
    working=nullable({}), receipt_id=nullable(INT), lost_receipt_declaration=nullable(STR),
    over_cap_reason=nullable(STR), nights=nullable(INT),
)
CLAIM = obj(
    required=("id", "exchange_id", "status", "total_pence", "items"),
    id=INT, exchange_id=INT, status=STR, total_pence=INT, approved_pence=nullable(INT), flags=array(STR),
    items=array(ITEM), bank=nullable(obj(account_number_last4=STR)), question=nullable(STR), answer=nullable(STR),
    reason=nullable(STR), submitted_at=nullable(DATETIME), approved_at=nullable(DATETIME),
    paid_at=nullable(DATETIME), payment_run_id=nullable(INT),
    exchange=obj(title=nullable(STR), theme=nullable(STR)),
    claimant=obj(name=nullable(STR), application_id=INT),
)
QUEUE_ROW = obj(
    required=("id", "exchange_id", "status", "total_pence"),
    id=INT, exchange_id=INT, exchange=obj(title=nullable(STR), theme=nullable(STR)),
    claimant=obj(name=nullable(STR)), status=STR, total_pence=INT, approved_pence=nullable(INT),
    flags=array(STR), submitted_at=nullable(DATETIME),
)
RUN = obj(
    required=("id", "status", "claims", "total_pence"),
    id=INT, status=STR, claims=INT, total_pence=INT, created_by=nullable(STR), created_at=nullable(DATETIME),
    closed_by=nullable(STR), closed_at=nullable(DATETIME), claim_ids=array(INT),
)
HISTORY = array(obj(required=("at", "actor", "action"), at=DATETIME, actor=STR, action=STR,
                    from_=nullable(STR), to=nullable(STR), note=nullable(STR)))
BUCKET = {"claims": INT, "claimed_pence": INT, "approved_pence": INT, "paid_pence": INT}
DASHBOARD = obj(
    required=("total", "by_exchange", "by_theme", "by_month"),
    total=obj(**BUCKET), by_exchange=array(obj(exchange_id=INT, title=STR, **BUCKET)),
    by_theme=array(obj(theme=STR, **BUCKET)), by_month=array(obj(month=STR, **BUCKET)),
)
QUEUE_QUERY = {
    "status": STR, "exchange": STR, "theme": STR, "flag": STR, "sort": STR, "page": STR, "per_page": STR,
}
MANAGE_TOKEN_QUERY = {"manage_token": STR}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

OPERATIONS = {
    "POST /receipts": Operation(
        "Upload a receipt (PDF, JPEG or PNG by content, at most 10 MB) for the claimant of `manage_token`.",
        access=TOKEN, status=201, errors=(413, 422),
        form=obj(required=("manage_token", "file"), manage_token=STR, file={"type": "string", "format": "binary"}),
        response=obj(required=("receipt_id",), receipt_id=INT, content_type=STR, size=INT)),
    "GET /receipts/<int:receipt_id>": Operation(
        "A receipt's file: to its claimant (`?manage_token=`, as an attachment) or to finance (inline).",
        access=STAFF_OR_TOKEN, query=MANAGE_TOKEN_QUERY, response="application/octet-stream"),
    "POST /claims": Operation("Submit a claim (an expert by experience who attended).", access=TOKEN,
                              body=ClaimInput, response=CLAIM, status=201, errors=(403, 409)),
    "GET /claims": Operation("The finance queue, filtered, sorted and paged (finance).", access=STAFF,
                             query=QUEUE_QUERY, response=array(QUEUE_ROW)),
    "GET /claims/<int:claim_id>": Operation("A claim: to its claimant (`?manage_token=`) or to finance.",
                                            access=STAFF_OR_TOKEN, query=MANAGE_TOKEN_QUERY, response=CLAIM),
    "PUT /claims/<int:claim_id>": Operation("The claimant answers a query or amends the claim.", access=TOKEN,
                                            body=AmendInput, response=CLAIM, errors=(409,)),
    "POST /claims/<int:claim_id>/withdraw": Operation("The claimant withdraws a claim not yet decided.",
                                                      access=TOKEN, body=TokenInput, response=CLAIM, errors=(409,)),
    "POST /claims/<int:claim_id>/approve": Operation("Approve all or some items (finance).", access=STAFF,
                                                     body=ApproveInput, response=CLAIM, errors=(409,)),
    "POST /claims/<int:claim_id>/reject": Operation("Reject with a reason (finance).", access=STAFF,
                                                    body=ReasonInput, response=CLAIM, errors=(409,)),
    "POST /claims/<int:claim_id>/query": Operation("Ask the claimant a question (finance).", access=STAFF,
                                                   body=QuestionInput, response=CLAIM, errors=(409,)),
    "GET /claims/<int:claim_id>/history": Operation("The claim's append-only history (finance).", access=STAFF,
                                                    response=HISTORY),
    "GET /dashboard": Operation("Claimed, approved and paid by exchange, theme and month (finance).",
                                access=STAFF, response=DASHBOARD),
    "POST /payment-runs": Operation("Gather approved claims into a payment run (finance).", access=STAFF,
                                    body=RunInput, response=RUN, status=201, errors=(409,)),
    "GET /payment-runs": Operation("Every payment run, newest first (finance).", access=STAFF,
                                   response=array(RUN)),
    "GET /payment-runs/<int:run_id>": Operation("A payment run with its claims (finance).", access=STAFF,
                                                response=RUN),
    "POST /payment-runs/<int:run_id>/confirm": Operation(
        "Mark the run's claims paid (finance, not the run's maker).", access=STAFF, response=RUN, errors=(409,)),
    "POST /payment-runs/<int:run_id>/cancel": Operation("Cancel an unconfirmed run (finance).", access=STAFF,
                                                        response=RUN, errors=(409,)),
    "GET /payment-runs/<int:run_id>/export.csv": Operation("The run as CSV (finance).", access=STAFF,
                                                           response="text/csv", errors=(409,)),
    "GET /payment-runs/<int:run_id>/export.xlsx": Operation("The run as a spreadsheet (finance).", access=STAFF,
                                                            response=XLSX, errors=(409,)),
}
