"""Staff sign-in and sign-out. The signed token goes into the session cookie, so every service
sees the same sign-in; failed attempts count towards the account's lockout and the address's limit."""

from __future__ import annotations

from flask import redirect, request, session, url_for
from flask_babel import gettext as _

from shared.auth import current_staff, issue_token
from shared.errors import ApiError
from shared.web import commit_even_when_refused, db, runtime

from .. import operations
from ..operations.ratelimit import check_sign_in_rate, count_sign_in_failure
from ..operations.sign_out import sign_out
from .blueprint import blueprint
from .staff import page


@blueprint.route("/login", methods=["GET", "POST"])
@commit_even_when_refused  # a failed attempt counts towards the lockout
def login():
    next_url = _safe_next(request.args.get("next"))
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
    result = operations.sign_in(db(), form["email"], password)
    if result.staff is None:
        count_sign_in_failure()
        errors["email"] = _("Enter a correct email address and password. After 5 failed attempts in a row an "
                            "account is locked for 15 minutes.")
        return page("registration/staff/login.html", 401, form=form, errors=errors, next=next_url)
    token, _expires = issue_token(runtime().settings.secret_key, result.staff)
    session.clear()  # a fresh session at sign-in: nothing carried over from before
    session["staff_token"] = token
    return redirect(next_url or url_for(".home"))


@blueprint.post("/logout")
def logout():
    staff = current_staff()
    if staff is not None:  # every token of the account dies, in every service, not just this cookie
        sign_out(db(), staff.id)
    session.clear()
    return redirect(url_for(".login"))


def _safe_next(value: str | None) -> str | None:
    """Only a path on this site: never another origin (`//`, `\\`, a scheme)."""
    if value and value.startswith("/") and not value.startswith(("//", "/\\")) and "\\" not in value:
        return value
    return None
