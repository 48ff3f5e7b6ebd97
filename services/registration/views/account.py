"""A member of staff's own account: setting a password from a single-use link (an invitation or
a reset), asking for a reset when it is forgotten, and changing it when signed in.

The signed-in page also lets the person choose the language of their own emails (summaries, packs,
claim notices), which every service reads from `registration.staff.updated`.

A link that opens nothing (never issued, spent, expired) gets a page that says which and offers a
new one, never an error trace. Whatever email a reset is asked for, the answer is the same page.
"""

from __future__ import annotations

from flask import redirect, request, session, url_for
from flask_babel import gettext as _

from shared.auth import issue_token
from shared.db import utcnow
from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import LANGUAGES, commit_even_when_refused, db, runtime

from .. import operations
from ..operations import accounts, mfa, mfa_changes
from ..vocabularies import LINK_REFUSALS
from .blueprint import blueprint
from .staff import page, signed_in

#: a refused link's status: a link that never was is not found; a spent or expired one is gone
REFUSED_STATUS = {accounts.UNKNOWN: 404, accounts.SPENT: 410, accounts.EXPIRED: 410}


@blueprint.route("/account/password/<token>", methods=["GET", "POST"])
def set_password(token):
    try:
        _link, account = accounts.open_link(db(), token, utcnow())
    except accounts.LinkRefused as refused:
        return _refused(token, refused.reason)
    errors = {}
    if request.method == "POST":
        try:
            accounts.set_password(db(), token, request.form.get("password", ""), utcnow())
            return page("registration/account/done.html", title=_("Your password is set"),
                        message=_("You can now sign in with your email address and your new password."),
                        sign_in=True)
        except ApiError as refused:
            errors = errors_by_field(refused, message_field="password")
        except accounts.LinkRefused as refused:
            return _refused(token, refused.reason)
    return page("registration/account/set_password.html", 422 if errors else 200, account=account,
                invited=account.status == "invited", errors=errors)


@blueprint.post("/account/password/<token>/renew")
def renew_link(token):
    """A new link in place of a spent or expired one, sent to the account's own email."""
    accounts.request_reset_for_link(db(), token, utcnow())
    return _sent()


@blueprint.route("/account/password-reset", methods=["GET", "POST"])
def password_reset():
    form, errors = {}, {}
    if request.method == "POST":
        form = {"email": request.form.get("email", "").strip()}
        if not form["email"]:
            errors["email"] = _("Enter your email address")
        elif len(form["email"]) > 320:
            errors["email"] = _("Enter 320 characters or fewer.")
        else:
            accounts.request_reset(db(), form["email"], utcnow())
            return _sent()
    return page("registration/account/reset.html", 422 if errors else 200, form=form, errors=errors)


@blueprint.route("/account", methods=["GET", "POST"])
@commit_even_when_refused  # a wrong current password counts towards the lockout
def account():
    staff = signed_in()
    account = accounts.find_account(db(), staff.id, lock=request.method == "POST")
    errors, changed = {}, False
    if request.method == "POST":
        try:
            accounts.change_password(db(), account, request.form.get("current_password", ""),
                                     request.form.get("new_password", ""), utcnow())
            # the old tokens are revoked with the old password; this browser keeps a fresh one
            token, _expires = issue_token(runtime().settings.secret_key, operations.staff_identity(db(), account))
            session["staff_token"] = token
            changed = True
        except ApiError as refused:
            errors = errors_by_field(refused, message_field="current_password")
    return _account_page(account, errors, changed=changed,
                         language_saved=request.args.get("saved") == "language")


@blueprint.post("/account/language")
def email_language():
    """The member of staff chooses the language their emails go in; the next email is in it."""
    staff = signed_in()
    account = accounts.find_account(db(), staff.id, lock=True)
    language = request.form.get("language", "")
    if language not in LANGUAGES:
        return _account_page(account, {"language": _("Choose the language of your emails")})
    accounts.change_account(db(), account, {"language": language}, utcnow(), staff=staff)
    return redirect(url_for(".account", saved="language"))


def _account_page(account, errors: dict, **shown):
    return page("registration/account/page.html", 422 if errors else 200, account=accounts.account_view(db(), account),
                errors=errors, two_factor=mfa.enabled(account),
                two_factor_off=request.args.get("two_factor") == "off" and not mfa.enabled(account),
                two_factor_required=mfa_changes.required_for(db(), account, mfa.compulsory(runtime().settings)),
                recovery_codes_left=mfa.recovery_codes_left(db(), account), **shown)


def _refused(token: str, reason: str):
    return page("registration/account/link_refused.html", REFUSED_STATUS[reason], reason=reason,
                message=LINK_REFUSALS[reason], token=token if reason != accounts.UNKNOWN else None)


def _sent():
    return page("registration/account/done.html", title=_("Check your email"),
                message=_("If there is an active staff account with that email address, we have sent it a link to "
                          "set a new password. The link works once, within 1 hour."))
