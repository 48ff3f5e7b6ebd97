"""Signing in with one's organisation account (OpenID Connect, single_sign_on.py): the button on
the sign-in page leads to `/login/sso`, which sends the browser to the provider; the provider sends
it back to `/login/sso/callback`. A verified email of an active account then signs in exactly as a
right password does (the second factor too, where the account has one or must have one); anything
else changes nothing and leads to a page that says why (`/login/sso/refused`: a page of its own,
so that its language link shows the same refusal, not a callback whose state is spent). Without
KX_OIDC_* every route here is 404.
"""

from __future__ import annotations

from flask import abort, redirect, request, session, url_for

from shared.web import db, runtime

from .. import single_sign_on
from ..models.staff_account import DISABLED, INVITED
from ..operations import mfa
from ..operations.staff import SSO, UNKNOWN, sign_in_verified
from ..vocabularies import SSO_REFUSALS
from .blueprint import blueprint
from .sign_in import first_factor_passed, safe_next
from .staff import page

#: the status of each refusal's page: a broken or forged answer is the request's fault (400),
#: the provider's own refusal is a failed authentication (401), a person kx does not know or whose
#: email is unverified is forbidden (403), a provider that cannot be reached is a bad gateway (502)
STATUSES = {single_sign_on.STATE: 400, single_sign_on.TOKEN: 400, single_sign_on.PROVIDER_REFUSED: 401,
            single_sign_on.UNVERIFIED: 403, single_sign_on.UNAVAILABLE: 502,
            UNKNOWN: 403, INVITED: 403, DISABLED: 403}


@blueprint.app_template_global("organisation_sign_in")
def organisation_sign_in() -> bool:
    """Whether the sign-in page offers single sign-on (KX_OIDC_* set)."""
    return single_sign_on.of_app() is not None


@blueprint.get("/login/sso")
def login_sso():
    organisation = _organisation()
    try:
        return organisation.start(_callback_url(), safe_next(request.args.get("next")))
    except single_sign_on.Refused as refused:
        return _refused(refused.reason)


@blueprint.get("/login/sso/callback")
def login_sso_callback():
    organisation = _organisation()
    try:
        verified = organisation.finish()
    except single_sign_on.Refused as refused:
        return _refused(refused.reason)
    result = sign_in_verified(db(), verified.email, require_mfa=mfa.compulsory(runtime().settings))
    if result.staff is None and result.needs is None:
        return _refused(result.refusal, email=verified.email)
    return first_factor_passed(result, safe_next(verified.next_url), SSO)


def _organisation() -> single_sign_on.OrganisationSignIn:
    organisation = single_sign_on.of_app()
    if organisation is None:
        abort(404)
    return organisation


def _callback_url() -> str:
    """Where the provider sends the browser back: under KX_PUBLIC_URL when it is set (the address
    registered at the provider must match it exactly), else this request's own origin."""
    public = (runtime().settings.extra.get("KX_PUBLIC_URL") or "").rstrip("/")
    path = url_for(".login_sso_callback")
    return f"{public}{path}" if public else url_for(".login_sso_callback", _external=True)


@blueprint.get("/login/sso/refused")
def login_sso_refused():
    _organisation()
    refusal = session.get(REFUSAL)
    if not isinstance(refusal, dict) or refusal.get("reason") not in STATUSES:
        return redirect(url_for(".login"))
    heading, message = SSO_REFUSALS[refusal["reason"]]
    return page("registration/staff/sso_refused.html", STATUSES[refusal["reason"]], heading=heading,
                message=message, email=refusal.get("email"))


#: where the session keeps the last refusal for its page (until the next sign-in clears the session)
REFUSAL = "sso_refused"


def _refused(reason: str, email: str | None = None):
    session[REFUSAL] = {"reason": reason, "email": email}
    return redirect(url_for(".login_sso_refused"), 303)
