"""Subject access and erasure requests (UK GDPR articles 15 and 17; docs/privacy.md).

The programme team asks for a person by email (`POST /registration/api/privacy/requests`).
Registration answers its own part in that transaction, records the due date (one calendar month
after receipt) and emits `privacy.access.requested` or `privacy.erasure.requested` carrying the
request id, the email's lookup key and the person's application ids, never the email. Every other
service answers on the bus (`privacy.access.answered` with its data, or `privacy.erasure.completed`
with what it erased and kept); `gather` records each answer, and once all four have answered the
request is complete and an access request's file can be downloaded.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from flask import Blueprint, Response, jsonify
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared.auth import authorise
from shared.config import SERVICES
from shared.db import utcnow
from shared.errors import ApiError
from shared.outbox import emit
from shared.privacy import (
    ACCESS,
    ANSWERED,
    ERASURE,
    REQUESTED,
    Subject,
    lookup_key,
    one_month_after,
)
from shared.service import Handler
from shared.times import iso
from shared.web import csrf, db, runtime

from . import privacy
from .api import body
from .models import ACTIVE, Booking, Exchange, PrivacyAnswer, PrivacyRequest
from .schemas import EmailField

blueprint = Blueprint("registration_privacy", __name__, url_prefix="/registration/api/privacy")
csrf.exempt(blueprint)


class PrivacyRequestInput(Schema):
    email = EmailField(required=True)
    kind = fields.Str(required=True, validate=validate.OneOf(
        (ACCESS, ERASURE), error=_l("Choose access (a copy of their data) or erasure.")),
        error_messages={"required": _l("Choose access (a copy of their data) or erasure.")})


# --- operations ------------------------------------------------------------------------------------


def make_request(session: Session, settings, email: str, kind: str, staff_id: int,
                 now: datetime | None = None) -> PrivacyRequest:
    """Record the request, answer registration's part, and fan it out. Never commits."""
    now = now or utcnow()
    application_ids = privacy.applications_of(session, email)
    if kind == ERASURE and _upcoming_bookings(session, application_ids, now):
        raise ApiError(409, _("They still hold a place or a waiting-list place on an exchange that has not ended. "
                              "Cancel those bookings first, then ask for erasure."), code="active_bookings")
    key = lookup_key(settings, email)
    if kind == ERASURE:
        _forget_exports_of(session, key)
    request = PrivacyRequest(id=str(uuid.uuid4()), kind=kind, subject_key=key,
                             received_at=now, due_at=one_month_after(now), requested_by=staff_id)
    session.add(request)
    session.flush()
    subject = Subject(request.subject_key, tuple(application_ids))
    answer = privacy.export(session, subject) if kind == ACCESS else privacy.erase(session, subject)
    emit(session, REQUESTED[kind], {"request_id": request.id, "subject_key": request.subject_key,
                                    "application_ids": application_ids, "due_at": iso(request.due_at)})
    record_answer(session, request, "registration", answer, now)
    return request


def _upcoming_bookings(session: Session, application_ids: list[int], now: datetime) -> bool:
    return session.scalar(select(Booking.id).join(Exchange, Exchange.id == Booking.exchange_id).where(
        Booking.application_id.in_(application_ids), Booking.status.in_(ACTIVE), Exchange.ends_at > now)
        .limit(1)) is not None


def _forget_exports_of(session: Session, key: str) -> None:
    """Erasure covers the files of earlier access requests about the same person."""
    earlier = select(PrivacyRequest.id).where(PrivacyRequest.subject_key == key, PrivacyRequest.kind == ACCESS)
    session.execute(update(PrivacyAnswer).where(PrivacyAnswer.request_id.in_(earlier)).values(data=None))
    session.execute(update(PrivacyRequest).where(PrivacyRequest.subject_key == key).values(subject_key=None))


def record_answer(session: Session, request: PrivacyRequest, service: str, data: dict, now: datetime) -> None:
    answer = session.get(PrivacyAnswer, (request.id, service))
    if answer is None:
        session.add(PrivacyAnswer(request_id=request.id, service=service, answered_at=now, data=data))
    session.flush()
    answered = set(session.scalars(select(PrivacyAnswer.service).where(PrivacyAnswer.request_id == request.id)))
    if request.completed_at is None and answered >= set(SERVICES):
        request.completed_at = now
        if request.kind == ERASURE:
            request.subject_key = None  # nothing is left to find them by; the record says only that it was done


def gather(session: Session, envelope: dict, data: dict) -> None:
    """A service's answer to a request, from the bus."""
    request = session.get(PrivacyRequest, data["request_id"])
    if request is not None and data["service"] in SERVICES:
        record_answer(session, request, data["service"], data["data"], utcnow())


HANDLERS = (Handler("privacy-answers", tuple(ANSWERED.values()), gather),)


# --- API -------------------------------------------------------------------------------------------


def request_json(session: Session, request: PrivacyRequest) -> dict:
    answers = {a.service: a for a in session.scalars(select(PrivacyAnswer).where(PrivacyAnswer.request_id == request.id))}
    services = {}
    for service in SERVICES:
        answer = answers.get(service)
        services[service] = {"status": "answered" if answer else "waiting", "answered_at": iso(answer.answered_at) if answer else None}
        if answer is not None and request.kind == ERASURE:
            services[service].update(answer.data or {})  # counts and reasons, no personal data
    return {"id": request.id, "kind": request.kind, "received_at": iso(request.received_at),
            "due_at": iso(request.due_at), "completed_at": iso(request.completed_at),
            "status": "complete" if request.completed_at else "in_progress",
            "overdue": request.completed_at is None and utcnow() > request.due_at, "services": services}


def _request_or_404(request_id: str) -> PrivacyRequest:
    request = db().get(PrivacyRequest, request_id[:36])
    if request is None:
        raise ApiError(404, _("There is no privacy request with that id."), code="not_found")
    return request


@blueprint.post("/requests")
def create():
    staff = authorise("admin")
    data = PrivacyRequestInput().load(body())
    request = make_request(db(), runtime().settings, data["email"], data["kind"], staff.id)
    return jsonify({"id": request.id, "due_at": iso(request.due_at)}), 202


@blueprint.get("/requests")
def list_requests():
    authorise("admin")
    requests = db().scalars(select(PrivacyRequest).order_by(PrivacyRequest.received_at.desc()))
    return jsonify([request_json(db(), r) for r in requests])


@blueprint.get("/requests/<request_id>")
def show(request_id):
    authorise("admin")
    return jsonify(request_json(db(), _request_or_404(request_id)))


@blueprint.get("/requests/<request_id>/export.json")
def export(request_id):
    authorise("admin")
    request = _request_or_404(request_id)
    if request.kind != ACCESS:
        raise ApiError(409, _("An erasure request has no export."), code="not_an_access_request")
    if request.completed_at is None:
        raise ApiError(409, _("Not every service has answered yet. Try again later."), code="not_complete")
    answers = list(db().scalars(select(PrivacyAnswer).where(PrivacyAnswer.request_id == request.id)))
    if any(a.data is None for a in answers):
        raise ApiError(409, _("This export was deleted 30 days after it was complete. Make a new request."),
                       code="export_deleted")
    document = {"request": {"id": request.id, "received_at": iso(request.received_at), "due_at": iso(request.due_at),
                            "completed_at": iso(request.completed_at)},
                "services": {a.service: a.data for a in sorted(answers, key=lambda a: SERVICES.index(a.service))}}
    return Response(json.dumps(document, ensure_ascii=False, indent=2), mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="subject-access-{request.id}.json"'})
