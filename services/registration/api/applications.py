"""`/applications`: applying (the rush's route), an application by its manage token, cancelling,
asking for the manage link again by email and replacing it (operations/manage_links.py).

`POST /applications` is the busiest route of the programme (benchmarks/rush.py): its input and
output schemas are made once, and the answer is dumped once, straight from the allocation's result.
"""

from __future__ import annotations

from flask import request
from flask_babel import gettext as _

from shared import api
from shared.api import TOKEN
from shared.web import db, runtime

from .. import operations
from ..operations import idempotency, manage_links
from ..operations.applications import application_with_bookings
from ..operations.ratelimit import check_apply_rate, check_apply_rate_for, client_address
from ..outputs import ApplicationOutput, AppliedOutput, CancelledOutput, LinkRequestedOutput
from ..schemas import ApplicantInput, ApplicationInput, LinkRequestInput
from .blueprint import blueprint

APPLIED = AppliedOutput()
APPLICANT_FIELDS = tuple(ApplicantInput().fields)
IDEMPOTENCY_KEY = {"in": "header", "name": "Idempotency-Key", "required": False, "schema": {"type": "string"}}


@blueprint.post("/applications")
@api.access(api.PUBLIC, errors=(409, 429), parameters=(IDEMPOTENCY_KEY,))
@api.response(APPLIED, 201)
@api.checked_first(check_apply_rate)
@api.arguments(ApplicationInput)
def apply(data):
    """Apply for one or more exchanges: first come, first served.

    An email that has applied before joins that person's application: then `manage_token` is null
    and `link` says whether their renewed link was emailed (never shown to whoever sent this).

    An `Idempotency-Key` header makes a retried request return the first answer."""
    key = request.headers.get("Idempotency-Key")
    if key is None:
        return _apply(data)
    idempotency.check_key(key)
    answer = idempotency.answer_once(
        db(), runtime().settings.secret_key, "applications", key, request.get_data(cache=True),
        lambda: (201, APPLIED.dump(_apply(data))),
        busy_message=_("A request with this Idempotency-Key is still being handled. Try again."))
    return answer.body, answer.status


def _apply(data: dict) -> operations.ApplicationResult:
    check_apply_rate_for(data["applicant"]["email"])
    return operations.apply(
        db(), operations.Applicant(**{name: data["applicant"][name] for name in APPLICANT_FIELDS}),
        data["exchange_ids"], line_manager_permission=data["line_manager_permission"],
        will_attend_sessions=data["will_attend_sessions"], privacy_notice_accepted=data["privacy_notice_accepted"],
        manage_token=data.get("manage_token"))


@blueprint.get("/applications/<token>")
@api.access(TOKEN)
@api.response(ApplicationOutput)
def get_application(token):
    """The application of this manage token, with its bookings."""
    return application_with_bookings(db(), operations.application_for_token(db(), token))


@blueprint.post("/applications/<token>/bookings/<int:exchange_id>/cancel")
@api.access(TOKEN, errors=(409,))
@api.response(CancelledOutput)
def cancel(token, exchange_id):
    """Cancel a booking; the first on the waiting list is promoted."""
    return operations.cancel_booking(db(), token, exchange_id)


@blueprint.post("/applications/link")
@api.access(api.PUBLIC, errors=(429,))
@api.response(LinkRequestedOutput, 202)
@api.arguments(LinkRequestInput)
def request_link(data):
    """Ask for the manage link again: the person's one link (one per email) is renewed, by email (the
    old one stops working). The same answer whatever the email; limited per email and address."""
    manage_links.send_links_again(db(), runtime().settings, data["email"], client_address())
    return {"message": manage_links.sent_message()}


@blueprint.post("/applications/<token>/link")
@api.access(TOKEN, errors=(429,))
@api.response(LinkRequestedOutput, 202)
def replace_link(token):
    """Replace this manage link: a new one goes to the application's email; this one stops working."""
    application = operations.application_for_token(db(), token)
    manage_links.replace_from_manage_page(db(), runtime().settings, application)
    return {"message": manage_links.replaced_message()}
