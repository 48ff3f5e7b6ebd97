"""Staff sign-in and sign-out. The signed token goes into the session cookie, so every service
sees the same sign-in; failed attempts count towards the account's lockout and the address's limit.

An account with a second factor signs in in two steps: the password, then a code (`/login/code`);
between them the session holds only the account's id and when the password was right. An admin or
finance account that KX_REQUIRE_MFA=1 obliges to have one, and has not, is let in only to the page
that sets it up (views/two_factor.py)."""

from __future__ import annotations

import time

from flask import redirect, request, session, url_for
from flask_babel import gettext as _

from shared.auth import current_staff, issue_token
from shared.errors import ApiError
from shared.web import commit_even_when_refused, db, runtime

from .. import operations
from ..operations import mfa
from ..operations.ratelimit import check_sign_in_rate, count_sign_in_failure
from ..operations.sign_out import sign_out
from ..operations.staff import MFA_REQUIRED, MFA_SETUP_REQUIRED, PASSWORD
from ..vocabularies import WRONG_CODE, WRONG_PASSWORD
from .blueprint import blueprint
from .staff import page


@blueprint.route("/login", methods=["GET", "POST"])
@commit_even_when_refused  # a failed attempt counts towards the lockout
def login():
    next_url = safe_next(request.args.get("next"))
    if request.method == "GET":
        return page("registration/staff/login.html", form={}, errors={}, next=next_url)
    form = {"email": request.form.get("email", "").strip()}
    password = request.form.get("password", "")
    errors = {}
    if not form["email"]:
        errors["email"] = _("Enter your email address")
    if not password:
        errors["password"] = _("Enter your password")
    if errors:
        return page("registration/staff/login.html", 422, form=form, errors=errors, next=next_url)
    try:
        check_sign_in_rate()
    except ApiError as refused:
        errors["email"] = refused.message
        html, status = page("registration/staff/login.html", 429, form=form, errors=errors, next=next_url)
        return html, status, {"Retry-After": str(refused.retry_after)}
    settings = runtime().settings
    result = operations.sign_in(db(), form["email"], password, secret_key=settings.secret_key,
                                require_mfa=mfa.compulsory(settings))
    if result.staff is None and result.needs is None:
        count_sign_in_failure()
        errors["email"] = str(WRONG_PASSWORD)
        return page("registration/staff/login.html", 401, form=form, errors=errors, next=next_url)
    return first_factor_passed(result, next_url, PASSWORD)


@blueprint.route("/login/code", methods=["GET", "POST"])
@commit_even_when_refused  # a wrong code counts towards the lockout
def login_code():
    """The second step: a code from the authenticator app, or a recovery code."""
    next_url = safe_next(request.args.get("next"))
    account_id = pending(MFA_REQUIRED)
    if account_id is None:
        return redirect(url_for(".login", next=next_url))
    if request.method == "GET":
        return page("registration/staff/login_code.html", errors={}, next=next_url)
    code = request.form.get("code", "").strip()
    if not code:
        return page("registration/staff/login_code.html", 422, next=next_url,
                    errors={"code": _("Enter the code from your authenticator app, or a recovery code")})
    try:
        check_sign_in_rate()
    except ApiError as refused:
        html, status = page("registration/staff/login_code.html", 429, errors={"code": refused.message}, next=next_url)
        return html, status, {"Retry-After": str(refused.retry_after)}
    method = session.get(PENDING[MFA_REQUIRED], {}).get("method", PASSWORD)
    result = operations.second_factor(db(), account_id, code, runtime().settings.secret_key, method=method)
    if result.staff is None:
        count_sign_in_failure()
        if result.needs is None or result.locked:
            session.clear()  # locked or gone: start again from the password
        return page("registration/staff/login_code.html", 401, errors={"code": str(WRONG_CODE)}, next=next_url)
    return _signed_in(result.staff, next_url)


@blueprint.post("/logout")
def logout():
    staff = current_staff()
    if staff is not None:  # every token of the account dies, in every service, not just this cookie
        sign_out(db(), staff.id)
    session.clear()
    return redirect(url_for(".login"))


#: where the session keeps a sign-in that is half done, and for how long it may be finished
PENDING = {MFA_REQUIRED: "mfa_pending", MFA_SETUP_REQUIRED: "mfa_setup"}
PENDING_SECONDS = 10 * 60


def pending(needs: str) -> int | None:
    """The account whose password was right a moment ago and that now `needs` a second factor."""
    held = session.get(PENDING[needs])
    if not isinstance(held, dict) or time.time() - held.get("at", 0) > PENDING_SECONDS:
        return None
    return held.get("id")


def first_factor_passed(result, next_url: str | None, method: str):
    """A right password, or an organisation's sign-in (`method`): signed in, or on to the second
    factor, whose step the session remembers (with how the first was passed, for the audit log)."""
    if result.needs is not None:
        session.clear()
        session[PENDING[result.needs]] = {"id": result.account_id, "at": time.time(), "method": method}
        if result.needs == MFA_SETUP_REQUIRED:
            return redirect(url_for(".two_factor"))
        return redirect(url_for(".login_code", next=next_url))
    return _signed_in(result.staff, next_url)


def start_session(staff) -> None:
    token, _expires = issue_token(runtime().settings.secret_key, staff)
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    session["staff_token"] = token


def _signed_in(staff, next_url: str | None):
    start_session(staff)
    return redirect(next_url or url_for(".home"))


def safe_next(value: str | None) -> str | None:
    """Only a path on this site: never another origin (`//`, `\\`, a scheme)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")) and "\\" not in value:
        return value
    return None
