"""`/auth/...`: staff sign-in (a bearer token for every service), sign-out (revoking its tokens), and setting or resetting a
password with a single-use link."""

from __future__ import annotations

from flask_babel import gettext as _

from shared import api
from shared.auth import authorise, issue_token
from shared.db import utcnow
from shared.errors import ApiError
from shared.web import commit_even_when_refused, db, runtime

from .. import operations
from ..operations import accounts, mfa
from ..operations.ratelimit import check_sign_in_rate, count_sign_in_failure
from ..operations.staff import MFA_REQUIRED, MFA_SETUP_REQUIRED
from ..outputs import AcceptedOutput, PasswordSetOutput, SignedOutOutput, TokenOutput
from ..schemas import PasswordResetInput, SetPasswordInput, TokenInput
from ..vocabularies import LINK_REFUSALS, WRONG_CODE, WRONG_PASSWORD
from .blueprint import blueprint


@blueprint.post("/auth/token")
@commit_even_when_refused  # failed attempts count even though the answer is a refusal
@api.access(api.PUBLIC, errors=(401, 429))
@api.response(TokenOutput)
@api.arguments(TokenInput)
def token(data):
    """Staff sign-in: a bearer token for every service.

    An account with a second factor sends its `code` too (a TOTP code or a recovery code): without
    one the answer is 401 `mfa_required`. With `KX_REQUIRE_MFA=1` an admin or finance account that
    has not turned it on is refused with 401 `mfa_setup_required` (it signs in to the page that
    sets it up). Wrong codes count towards the lockout as wrong passwords do."""
    check_sign_in_rate()
    settings = runtime().settings
    result = operations.sign_in(db(), data["email"], data["password"], now=utcnow(), code=data.get("code"),
                                secret_key=settings.secret_key, require_mfa=mfa.compulsory(settings))
    if result.needs == MFA_SETUP_REQUIRED:
        raise ApiError(401, _("This account must turn on two-step verification first: sign in on the web page "
                              "to set it up."), code=MFA_SETUP_REQUIRED)
    if result.needs == MFA_REQUIRED and not data.get("code"):
        raise ApiError(401, _("Enter the code from your authenticator app (or a recovery code)."), code=MFA_REQUIRED)
    if result.staff is None:
        count_sign_in_failure()
        raise ApiError(401, str(WRONG_CODE if result.needs == MFA_REQUIRED else WRONG_PASSWORD), code="unauthorised")
    signed, expires_at = issue_token(runtime().settings.secret_key, result.staff)
    return {"token": signed, "expires_at": expires_at, "roles": result.staff.roles}


@blueprint.post("/auth/sign-out")
@api.access(api.STAFF)
@api.authorised_first()
@api.response(SignedOutOutput)
def sign_out():
    """Sign out: every token of the account signed so far, this one included, is refused by every
    service within seconds (registration at once)."""
    staff = authorise()
    operations.sign_out(db(), staff.id, staff=staff)
    return {"status": "signed_out"}


@blueprint.post("/auth/password")
@api.access(api.PUBLIC, errors=(404,))
@api.response(PasswordSetOutput)
@api.arguments(SetPasswordInput)
def set_password(data):
    """Set a password with a set-password link's token (the link is spent).

    At least 12 characters and not a commonly used password (422 names the rule). An unknown,
    spent or expired link is a 404 saying which."""
    try:
        return accounts.set_password(db(), data["token"], data["password"], now=utcnow())
    except accounts.LinkRefused as refused:
        raise ApiError(404, str(LINK_REFUSALS[refused.reason]), code=f"link_{refused.reason}") from None


@blueprint.post("/auth/password-reset")
@api.access(api.PUBLIC)
@api.response(AcceptedOutput, 202)
@api.arguments(PasswordResetInput)
def password_reset(data):
    """Ask for a password reset: 202 whatever the email; an active account's gets a link valid 1 hour."""
    accounts.request_reset(db(), data["email"], now=utcnow())
    return {"status": "accepted"}
