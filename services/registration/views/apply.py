"""The application journey (`/registration/apply/`): one question a page, then "check your
answers", then the confirmation.

Answers wait server-side, in a draft (`operations/apply_drafts.py`), as the short strings the forms
sent; the session (a signed cookie, which anyone holding it can read) keeps only the draft's random
id. Sending the application deletes the draft (access needs are special category data), and a
draft left for 2 hours goes by itself. Every page
is checked with the API's own schema (`schemas.ApplicationInput`), keeping only the problems of the
fields on that page, and sending goes through `operations.apply`, so web and API cannot disagree.

The "send" form carries a one-time idempotency key: a double click, a refresh or the back button
gets the first answer (the confirmation) instead of applying twice. The answer is kept encrypted in
the idempotency table (`operations/idempotency.py`); the session keeps only its key, so the confirmation page
can be reloaded without the manage token ever sitting in the cookie.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, abort, redirect, render_template, request, session, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from sqlalchemy import select

from shared.bilingual import text_in
from shared.db import utcnow
from shared.errors import ApiError
from shared.forms import errors_by_field, unindexed
from shared.link_seal import seal, unseal
from shared.manage_tokens import manage_link
from shared.web import db, runtime

from .. import operations
from ..config import privacy_notice
from ..models import Application, Exchange
from ..operations import apply_drafts, idempotency
from ..operations.allocation import MAX_SELECTIONS
from ..operations.catalogue import ExchangeFilter, is_closed
from ..operations.ratelimit import check_apply_rate, check_apply_rate_for
from ..operations.tokens import NOT_FOUND
from ..outputs import AppliedOutput
from ..schemas import ApplicantInput, ApplicationInput
from .pages import grouped, warning_text

blueprint = Blueprint("apply", __name__, url_prefix="/apply")

#: the session's key for the id of the journey's draft, which holds the answers so far:
#: {"answers": {field: value}, "answered": [question slugs]}
DRAFT = "apply_draft"
#: where sessions from before drafts kept the answers themselves; dropped when met
OLD_ANSWERS = "apply"
#: exchanges an Apply button chose before any answer: kept in the session (ids of public exchanges,
#: nothing anyone typed), so that following the link, as crawlers do, writes nothing server-side
CHOSEN = "apply_chosen"
#: the session's key for the idempotency key of the application last sent (the confirmation's key)
SENT = "apply_sent"
#: the draft's key for the manage token (sealed) of a journey started from a manage page
LINK = "link"
#: the session's flag that the application last sent joined an earlier one's link
JOINED = "apply_joined"
#: idempotency scope of the web form (the API's is "applications")
SCOPE = "web-applications"
APPLICANT_FIELDS = tuple(ApplicantInput().fields)
#: the answer kept for the confirmation page: what the API answers (`POST /applications`)
APPLIED = AppliedOutput()
YES_NO = {"yes": True, "no": False}

@dataclass(frozen=True)
class Question:
    """One question page: its address (and template name) and the form fields it asks."""

    slug: str
    fields: tuple[str, ...]
    #: what "check your answers" calls it (its change link says "Change <label>")
    label: str


QUESTIONS = (
    Question("about-you", ("name", "email", "organisation", "role"), _l("About you")),
    Question("taking-part", ("participant_type", "stakeholder_group"), _l("How you take part")),
    Question("line-manager", ("line_manager_permission",), _l("Line manager's permission")),
    Question("sessions", ("will_attend_sessions",), _l("Orientation and reflection sessions")),
    Question("access-needs", ("access_needs",), _l("Access needs")),
    Question("language", ("language",), _l("Language for emails")),
    Question("privacy", ("privacy_notice_accepted",), _l("Privacy notice")),
    Question("exchanges", ("exchange_ids",), _l("Exchanges")),
)
BY_SLUG = {question.slug: question for question in QUESTIONS}
#: which question page asks each form field
PAGE_OF = {name: question.slug for question in QUESTIONS for name in question.fields}


# --- the answers in the session ------------------------------------------------------------------


def _state() -> dict:
    session.pop(OLD_ANSWERS, None)
    state = apply_drafts.load(db(), runtime().settings.secret_key, session.get(DRAFT))
    if not isinstance(state, dict):
        chosen = session.get(CHOSEN)
        return {"answers": {"exchange_ids": chosen} if isinstance(chosen, list) and chosen else {}, "answered": []}
    kept = {"answers": dict(state.get("answers") or {}), "answered": list(state.get("answered") or [])}
    if isinstance(state.get(LINK), str):
        kept[LINK] = state[LINK]
    return kept


def start_again(token: str, application: Application) -> str:
    """A new journey for the holder of `token` (their manage page's "Apply for more exchanges"):
    every answer they gave before, kept to change on the way, and their link, so that what they
    send joins their bookings under the same link (`operations.apply(manage_token=...)`).
    Returns where the journey goes next: the choice of exchanges."""
    answers = {name: getattr(application, name) for name in APPLICANT_FIELDS}
    answers.update(line_manager_permission=application.line_manager_permission,
                   will_attend_sessions="yes" if application.will_attend_sessions else "no",
                   privacy_notice_accepted="yes")
    state = {"answers": {name: value for name, value in answers.items() if value not in (None, "")},
             "answered": [q.slug for q in QUESTIONS if q.slug != "exchanges"],
             LINK: seal(runtime().settings, token)}
    session.pop(SENT, None)
    _save(state)
    return url_for("registration.apply.question", slug="exchanges")


def _save(state: dict) -> None:
    session.pop(CHOSEN, None)
    session[DRAFT] = apply_drafts.save(db(), runtime().settings.secret_key, session.get(DRAFT), state)


def _next_url(state: dict) -> str:
    """The first question not yet answered, else "check your answers"."""
    for question in QUESTIONS:
        if question.slug not in state["answered"]:
            return url_for(".question", slug=question.slug)
    return url_for(".check")


def application_body(answers: dict) -> dict:
    """The answers as the body of `POST /applications`, for the API's schema to judge."""
    body: dict = {"applicant": {name: answers[name] for name in APPLICANT_FIELDS if name in answers}}
    if "exchange_ids" in answers:
        body["exchange_ids"] = [_as_id(i) if _as_id(i) is not None else i for i in answers["exchange_ids"]]
    if "line_manager_permission" in answers:
        body["line_manager_permission"] = answers["line_manager_permission"]
    for name in ("will_attend_sessions", "privacy_notice_accepted"):
        if answers.get(name) in YES_NO:
            body[name] = YES_NO[answers[name]]
    return body


def problems(answers: dict) -> dict[str, str]:
    """The schema's first message for each form field (all pages), `{}` when all is well."""
    try:
        ApplicationInput().load(application_body(answers))
    except ValidationError as invalid:
        return errors_by_field(invalid, form_field)
    return {}


def form_field(path: str) -> str:
    """Schema paths (`applicant.email`, `exchange_ids.2`) as form fields (`email`, `exchange_ids`)."""
    parts = unindexed(path).split(".")
    name = parts[-1] if parts[0] == "applicant" and len(parts) > 1 else parts[0]
    name = "name" if name == "applicant" else name
    return name if name in PAGE_OF else "_schema"


# --- start, question pages -----------------------------------------------------------------------


@blueprint.get("/")
def start():
    """What applying involves. `?exchange=<id>` (the Apply button of an exchange) pre-selects it."""
    state = _state()
    chosen = _open_exchange(request.args.get("exchange", ""))
    if chosen is not None:
        ids = state["answers"].get("exchange_ids", [])
        if str(chosen.id) not in ids and len(ids) < MAX_SELECTIONS:
            state["answers"]["exchange_ids"] = [*ids, str(chosen.id)]
            if state["answered"]:
                _save(state)
            else:
                session[CHOSEN] = state["answers"]["exchange_ids"]
    return render_template("registration/apply/start.html", chosen=chosen, next_url=_next_url(state),
                           started=bool(state["answered"]))


def _as_id(value: str) -> int | None:
    """A form's or query's exchange number, or None. ASCII digits only: `"²".isdigit()` is true,
    and `int("²")` fails."""
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _open_exchange(value: str) -> Exchange | None:
    exchange_id = _as_id(value)
    if exchange_id is None:
        return None
    exchange = db().get(Exchange, exchange_id)
    return exchange if exchange is not None and not exchange.draft and not is_closed(exchange, utcnow()) else None


@blueprint.route("/<slug>", methods=["GET", "POST"])
def question(slug):
    question = BY_SLUG.get(slug) or abort(404)
    state = _state()
    changing = request.args.get("change") == "1"
    if request.method == "GET":
        form = {name: state["answers"][name] for name in question.fields if name in state["answers"]}
        return _question_page(question, form, {}, changing)
    form = _read(question)
    if question.slug == "sessions" and form.get("will_attend_sessions") == "no":
        return redirect(url_for(".cannot_take_part"), 303)  # not an error to correct: a reason to stop
    # the page's fields are judged as sent: one left out is unanswered, not its earlier answer
    # kept for the check and then dropped; the other pages' answers are never touched
    others = {name: value for name, value in state["answers"].items() if name not in question.fields}
    errors = {name: message for name, message in problems({**others, **form}).items()
              if name in question.fields}
    if question.slug == "exchanges" and "exchange_ids" not in errors:
        errors.update(_unknown_exchanges(form["exchange_ids"]))
    if errors:
        return _question_page(question, form, errors, changing, 422)
    state["answers"] = {**others, **form}
    if question.slug not in state["answered"]:
        state["answered"].append(question.slug)
    _save(state)
    return redirect(_next_url(state), 303)


def _read(question: Question) -> dict:
    """The page's fields as typed; a radio or checkbox not chosen is absent."""
    form = {}
    for name in question.fields:
        if name == "exchange_ids":
            form[name] = [value.strip() for value in request.form.getlist(name)][:MAX_SELECTIONS + 1]
        elif name in request.form:
            form[name] = request.form[name].strip()
    return form


def _unknown_exchanges(ids: list[str]) -> dict[str, str]:
    known = set(db().scalars(select(Exchange.id).where(Exchange.id.in_([int(i) for i in ids]),
                                                       Exchange.draft.is_(False))))
    unknown = [i for i in ids if int(i) not in known]
    return {"exchange_ids": _("There is no exchange %(ids)s.", ids=", ".join(unknown))} if unknown else {}


def _question_page(question: Question, form: dict, errors: dict, changing: bool, status: int = 200):
    position = QUESTIONS.index(question)
    back = (url_for(".check") if changing else
            url_for(".question", slug=QUESTIONS[position - 1].slug) if position else url_for(".start"))
    context = {"form": form, "errors": errors, "form_errors": bool(errors), "back": back,
               "action": url_for(".question", slug=question.slug, change="1" if changing else None)}
    if question.slug == "language" and "language" not in form:
        form["language"] = str(get_locale() or "en")
    if question.slug == "privacy":
        context["notice"] = privacy_notice(runtime().settings)
    if question.slug == "exchanges":
        context["groups"] = grouped(operations.list_exchanges(db()))
    # the page shows what was typed (access needs among it): not for a shared computer's cache
    return render_template(f"registration/apply/{question.slug}.html", **context), status, {"Cache-Control": "no-store"}


@blueprint.get("/cannot-take-part")
def cannot_take_part():
    """Why someone who cannot attend the sessions cannot take part, and what they can do instead."""
    return render_template("registration/apply/cannot-take-part.html",
                           back=url_for(".question", slug="sessions", change="1"))


# --- check your answers, send, confirmation ------------------------------------------------------


@blueprint.get("/check")
def check():
    state = _state()
    if any(question.slug not in state["answered"] for question in QUESTIONS):
        return redirect(_next_url(state))
    return _check_page(state["answers"], {})


def _check_page(answers: dict, errors: dict, status: int = 200):
    ids = [exchange_id for exchange_id in map(_as_id, answers.get("exchange_ids", [])) if exchange_id is not None]
    chosen = operations.list_exchanges(db(), ExchangeFilter(ids=tuple(ids))) if ids else []
    exchanges = {e.id: e for e in db().scalars(select(Exchange).where(Exchange.id.in_(ids), Exchange.draft.is_(False)))
                 } if ids else {}
    titles = {e["id"]: text_in(e, "title") for e in chosen}
    warnings = [warning_text(w, titles) for w in
                operations.clash_warnings([exchanges[e["id"]] for e in chosen if e["status"] != "closed"])]
    response = render_template(
        "registration/apply/check.html", answers=answers, chosen=chosen, warnings=warnings,
        errors=errors, form_errors=bool(errors),
        error_links={name: url_for(".question", slug=PAGE_OF[name], change="1") for name in errors if name in PAGE_OF},
        questions=BY_SLUG, idempotency_key=secrets.token_urlsafe(32))
    return response, status, {"Cache-Control": "no-store"}


@blueprint.post("/send")
def send():
    """Apply, once per idempotency key: a repeat gets the first answer."""
    key = request.form.get("idempotency_key", "")
    idempotency.check_key(key)
    secret = runtime().settings.secret_key
    if idempotency.replay(db(), secret, SCOPE, key, b"") is None:
        state = _state()
        if not state["answered"]:  # nothing to send (already sent, or the session ended)
            return redirect(url_for(".start"))
        check_apply_rate()
        answers = state["answers"]
        errors = problems(answers)
        if errors:
            return _check_page(answers, errors, 422)
        try:
            idempotency.answer_once(
                db(), secret, SCOPE, key, b"", lambda: (201, APPLIED.dump(_apply(answers, state.get(LINK)))),
                busy_message=_("Your application is still being sent. Wait a moment, then refresh the page."))
        except ApiError as refused:
            if refused.status != 422:
                raise
            db().rollback()
            return _check_page(answers, errors_by_field(refused, form_field), 422)
        session[JOINED] = LINK in state
    apply_drafts.discard(db(), session.pop(DRAFT, None))
    session[SENT] = key
    return redirect(url_for(".confirmation"), 303)


def _apply(answers: dict, link: str | None) -> operations.ApplicationResult:
    data = ApplicationInput().load(application_body(answers))
    check_apply_rate_for(data["applicant"]["email"])
    token = unseal(runtime().settings, link) if link else None
    if link and token is None:  # sealed under a key since retired: the journey cannot join the link
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"manage_token": [_(NOT_FOUND)]})
    return operations.apply(
        db(), operations.Applicant(**data["applicant"]), data["exchange_ids"],
        line_manager_permission=data["line_manager_permission"], will_attend_sessions=data["will_attend_sessions"],
        privacy_notice_accepted=data["privacy_notice_accepted"], manage_token=token)


@blueprint.get("/confirmation")
def confirmation():
    """Per exchange: confirmed, waiting list position, closed or already booked; the manage link."""
    key = session.get(SENT)
    stored = idempotency.replay(db(), runtime().settings.secret_key, SCOPE, key, b"") if isinstance(key, str) else None
    if stored is None:
        return redirect(url_for(".start"))
    answer = stored.body
    ids = [booking["exchange_id"] for booking in answer["bookings"]]
    exchanges = {e["id"]: e for e in operations.list_exchanges(db(), ExchangeFilter(ids=tuple(ids)))}
    application = db().get(Application, answer["application_id"])
    # Joined by email alone (answer["link"] "emailed" or "unchanged"): no link here, and only this
    # application's bookings, as the person who sent it may not own the address.
    token = answer.get("manage_token")
    response = render_template("registration/apply/confirmation.html", bookings=answer["bookings"],
                               exchanges=exchanges, email=application.email if application else "",
                               joined=bool(session.get(JOINED)), link=answer.get("link", "shown"),
                               manage_link=manage_link(token, request.url_root) if token else None)
    return response, 200, {"Cache-Control": "no-store"}
