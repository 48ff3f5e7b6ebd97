"""`/auth/token`: staff sign-in, a bearer token for every service."""

from __future__ import annotations

from flask_babel import gettext as _

from shared import api
from shared.auth import issue_token
from shared.db import utcnow
from shared.errors import ApiError
from shared.web import commit_even_when_refused, db, runtime

from .. import operations
from ..operations.ratelimit import check_sign_in_rate, count_sign_in_failure
from ..outputs import TokenOutput
from ..schemas import TokenInput
from .blueprint import blueprint


@blueprint.post("/auth/token")
@commit_even_when_refused  # failed attempts count even though the answer is a refusal
@api.access(api.PUBLIC, errors=(401, 429))
@api.response(TokenOutput)
@api.arguments(TokenInput)
def token(data):
    """Staff sign-in: a bearer token for every service."""
    check_sign_in_rate()
    result = operations.sign_in(db(), data["email"], data["password"], now=utcnow())
    if result.staff is None:
        count_sign_in_failure()
        raise ApiError(401, _("Enter a correct email address and password. After 5 failed attempts in a row an "
                              "account is locked for 15 minutes."), code="unauthorised")
    signed, expires_at = issue_token(runtime().settings.secret_key, result.staff)
    return {"token": signed, "expires_at": expires_at, "roles": result.staff.roles}
