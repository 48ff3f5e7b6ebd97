"""Subject access and erasure requests (UK GDPR articles 15 and 17; docs/privacy.md).

The programme team asks for a person by email (`POST /registration/api/privacy/requests`, or the
staff page). Registration answers its own part in that transaction, records the due date (one
calendar month after receipt) and emits `privacy.access.requested` or `privacy.erasure.requested`
carrying the request id, the email's lookup key and the person's application ids, never the email.
Every other service answers on the bus (`privacy.access.answered` with its data, or
`privacy.erasure.completed` with what it erased and kept); the handler (handlers.py) records each
answer with `record_answer`, and once all four have answered the request is complete and an access
request's file can be downloaded. Old files are forgotten by registration's retention (privacy.py).
"""

from __future__ import annotations

import uuid
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from shared import audit
from shared.config import SERVICES
from shared.db import utcnow
from shared.errors import ApiError
from shared.outbox import emit
from shared.privacy import ACCESS, ERASURE, REQUESTED, Subject, lookup_key, one_month_after
from shared.times import iso

from .. import privacy
from ..models import ACTIVE, Booking, Exchange, PrivacyAnswer, PrivacyRequest


def make_request(session: Session, settings, email: str, kind: str, staff_id: int,
                 now: datetime | None = None, staff=None) -> PrivacyRequest:
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
    if staff is not None:  # the email is not written: the request's kind and id say what was done
        audit.record(session, staff, "privacy.requested", ("privacy_request", request.id), None, {"kind": kind})
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


# --- what the API and the staff page show ----------------------------------------------------------


def request_or_404(session: Session, request_id: str) -> PrivacyRequest:
    request = session.get(PrivacyRequest, request_id[:36])
    if request is None:
        raise ApiError(404, _("There is no privacy request with that id."), code="not_found")
    return request


def newest_requests(session: Session, limit: int | None = None) -> list[PrivacyRequest]:
    return list(session.scalars(select(PrivacyRequest).order_by(PrivacyRequest.received_at.desc()).limit(limit)))


def request_progress(session: Session, request: PrivacyRequest) -> dict:
    """The request and which services have answered (outputs.PrivacyRequestOutput); an erasure's
    answers add their counts and reasons, no personal data."""
    answers = {a.service: a for a in session.scalars(select(PrivacyAnswer).where(PrivacyAnswer.request_id == request.id))}
    services = {}
    for service in SERVICES:
        answer = answers.get(service)
        services[service] = {"status": "answered" if answer else "waiting",
                             "answered_at": answer.answered_at if answer else None}
        if answer is not None and request.kind == ERASURE:
            services[service].update(answer.data or {})
    return {"id": request.id, "kind": request.kind, "received_at": request.received_at, "due_at": request.due_at,
            "completed_at": request.completed_at, "status": "complete" if request.completed_at else "in_progress",
            "overdue": request.completed_at is None and utcnow() > request.due_at, "services": services}


def access_export(session: Session, request: PrivacyRequest) -> dict:
    """The complete answer to an access request (outputs.PrivacyExportOutput); 409 while a service
    has not answered, for an erasure request, or once its data was forgotten."""
    if request.kind != ACCESS:
        raise ApiError(409, _("An erasure request has no export."), code="not_an_access_request")
    if request.completed_at is None:
        raise ApiError(409, _("Not every service has answered yet. Try again later."), code="not_complete")
    answers = list(session.scalars(select(PrivacyAnswer).where(PrivacyAnswer.request_id == request.id)))
    if any(a.data is None for a in answers):
        raise ApiError(409, _("This export was deleted 30 days after it was complete. Make a new request."),
                       code="export_deleted")
    return {"request": request,
            "services": {a.service: a.data for a in sorted(answers, key=lambda a: SERVICES.index(a.service))}}
