"""Turning on the TOTP second factor from one's account: the secret as a key to type and as an
otpauth:// URI (no QR code), confirmed by a first code; then the ten recovery codes, shown once.
Once it is on, the account page offers turning it off and making new recovery codes
(operations/mfa_changes.py).

Reached signed in (from the account page), or straight after a right password by an admin or
finance account that KX_REQUIRE_MFA=1 obliges to have a second factor: such a session holds no
token, only the account's id (views/sign_in.py), and gets one when the first code is right.
"""

from __future__ import annotations

from flask import redirect, request, url_for
from flask_babel import gettext as _

from shared.auth import current_staff
from shared.db import utcnow
from shared.errors import ApiError
from shared.forms import errors_by_field
from shared.web import commit_even_when_refused, db, runtime

from .. import operations
from ..operations import accounts, mfa, mfa_changes
from ..operations.staff import MFA_SETUP_REQUIRED
from .blueprint import blueprint
from .sign_in import pending, start_session
from .staff import page, signed_in


@blueprint.route("/account/two-factor", methods=["GET", "POST"])
def two_factor():
    staff = current_staff()
    account_id = staff.id if staff is not None else pending(MFA_SETUP_REQUIRED)
    if account_id is None:
        return redirect(url_for(".login", next=request.path))
    account = accounts.find_account(db(), account_id, lock=True)
    if mfa.enabled(account):
        return redirect(url_for(".account"))
    secret_key = runtime().settings.secret_key
    secret = mfa.begin_setup(db(), account, secret_key)
    errors = {}
    if request.method == "POST":
        code = "".join(request.form.get("code", "").split())
        me = staff or operations.staff_identity(db(), account)
        codes = mfa.confirm_setup(db(), account, secret_key, code, utcnow(), me) if code else None
        if codes is not None:
            if staff is None:  # the compulsory set-up: now the account is signed in
                start_session(me)
            return page("registration/account/recovery_codes.html", codes=codes)
        errors["code"] = (_("Enter the 6-digit code from your authenticator app") if not code
                          else _("Enter the code your authenticator app shows now: that one is not right"))
    return page("registration/account/two_factor.html", 422 if errors else 200, errors=errors, secret=secret,
                uri=mfa.provisioning_uri(account, secret), compulsory=staff is None, email=account.email,
                signed_in=staff is not None)



@blueprint.route("/account/two-factor/off", methods=["GET", "POST"])
@commit_even_when_refused  # a wrong password or code counts towards the lockout
def two_factor_off():
    """Turn it off: the password and a code; refused (409) where KX_REQUIRE_MFA=1 applies to the account."""
    staff = signed_in()
    account = accounts.find_account(db(), staff.id, lock=request.method == "POST")
    if not mfa.enabled(account):
        return redirect(url_for(".account"))
    settings = runtime().settings
    required = mfa_changes.required_for(db(), account, mfa.compulsory(settings))
    errors, status = {}, 200
    if request.method == "POST":
        try:
            mfa_changes.turn_off(db(), account, settings.secret_key, request.form.get("current_password", ""),
                                 request.form.get("code", ""), utcnow(), compulsory=mfa.compulsory(settings),
                                 staff=staff)
            return redirect(url_for(".account", two_factor="off"))
        except ApiError as refused:
            errors, status = errors_by_field(refused), refused.status
    return page("registration/account/two_factor_off.html", status, errors=errors, required=required,
                email=account.email)


@blueprint.route("/account/recovery-codes", methods=["GET", "POST"])
@commit_even_when_refused  # a wrong code counts towards the lockout
def new_recovery_codes():
    """New recovery codes for a code: the old ones stop working; the new ones are shown once."""
    staff = signed_in()
    account = accounts.find_account(db(), staff.id, lock=request.method == "POST")
    if not mfa.enabled(account):
        return redirect(url_for(".account"))
    errors = {}
    if request.method == "POST":
        try:
            codes = mfa_changes.renew_recovery_codes(db(), account, runtime().settings.secret_key,
                                                     request.form.get("code", ""), utcnow(), staff=staff)
            return page("registration/account/recovery_codes.html", codes=codes, renewed=True)
        except ApiError as refused:
            errors = errors_by_field(refused, message_field="code")
    return page("registration/account/recovery_codes_new.html", 422 if errors else 200, errors=errors,
                left=mfa.recovery_codes_left(db(), account))
