"""Staff identity: signed tokens, and the one way every service checks roles and scopes.

Registration signs a token at sign-in; every service verifies it with the shared secret and
trusts nothing else. The web pages keep the same token in the session cookie, so a page's check
reads the same as the API's. The JSON API (`/<service>/api/...`) takes `Authorization: Bearer`
only, never the cookie: it has no CSRF token, and a page on another site can make a signed-in
browser send the cookie with a `text/plain` POST (no CORS preflight), so a cookie there would let
that page approve a claim or make a payment run in the staff member's name.

A token carries its account's `token_version`; a token older than the version the service knows
(`shared.staff_projection`) is refused as if it were forged, so sign-out and deactivation reach
every service within the time its event takes.

Roles: `admin` (the programme team), `host` (scoped to exchange ids), `theme_lead` (scoped to
theme codes), `finance`. No role implies another: where the programme team may act on a host's or
a lead's things, the check names `admin` beside them (`authorise(("host", id), "admin")`), so an
admin who is not also `finance` is refused finance's work (separation of duties).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from flask import current_app, g, request, session
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

from .errors import ApiError, SignInRequired
from .i18n import _
from .roles import ROLES

TOKEN_LIFETIME = timedelta(hours=8)
_SALT = "kx.staff-token"


@dataclass(frozen=True)
class Staff:
    id: int
    name: str
    #: role -> list of scopes (exchange ids for host, theme codes for theme_lead); [] for unscoped roles
    roles: dict[str, list] = field(default_factory=dict)
    #: the account's email (stored case-folded); the separation-of-duties rules compare it
    email: str = ""
    #: the account's token version when the token was signed (registration's
    #: `registration.staff.updated` says the current one; an older one is revoked)
    token_version: int = 0

    def has(self, role: str, scope=None) -> bool:
        """This role itself (within `scope` when given); no role implies another."""
        if role not in self.roles:
            return False
        return scope is None or scope in self.roles[role]

    def may(self, *grants) -> bool:
        """Whether any grant applies: each a role, or `(role, scope)` (as `authorise` takes them)."""
        return any(self.has(*(grant if isinstance(grant, tuple) else (grant,))) for grant in grants)

    def scopes(self, role: str) -> list:
        return list(self.roles.get(role, []))


def _serializer(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=_SALT)


def issue_token(secret: str, staff: Staff, lifetime: timedelta = TOKEN_LIFETIME) -> tuple[str, datetime]:
    expires_at = datetime.now(UTC) + lifetime
    payload = {"sub": staff.id, "name": staff.name, "email": staff.email, "ver": staff.token_version,
               "roles": staff.roles, "exp": int(expires_at.timestamp())}
    return _serializer(secret).dumps(payload), expires_at


def read_token(secret: str, token: str) -> Staff | None:
    """The staff member a token names, or None when it is forged, malformed or expired."""
    try:
        payload = _serializer(secret).loads(token, max_age=int(TOKEN_LIFETIME.total_seconds()))
    except (BadSignature, SignatureExpired):
        return None
    if not isinstance(payload, dict) or payload.get("exp", 0) < datetime.now(UTC).timestamp():
        return None
    roles = payload.get("roles")
    if not isinstance(roles, dict) or not set(roles) <= set(ROLES):
        return None
    return Staff(id=payload["sub"], name=payload.get("name", ""), roles=roles, email=payload.get("email", ""),
                 token_version=payload.get("ver", 0))


def current_staff() -> Staff | None:
    """The verified staff member behind this request, if any (cached on `g`)."""
    if "kx_staff" not in g:
        token = None
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            token = header.removeprefix("Bearer ").strip()
        elif "staff_token" in session and not is_api_request():
            token = session["staff_token"]
        staff = read_token(current_app.config["SECRET_KEY"], token) if token else None
        g.kx_staff = None if staff is None or revoked(staff) else staff
    return g.kx_staff


def is_api_request() -> bool:
    """A request to a service's JSON API, `/<service>/api/...`."""
    return request.path.split("/", 3)[2:3] == ["api"]


def revoked(staff: Staff) -> bool:
    """Whether this service knows the token to be revoked: signed before its account's current
    version (sign-out, deactivation, a change of roles, scopes or password), or for an account
    that is no longer active. One lookup by primary key, on every staff request. An account the
    service has not heard of is not refused (its `registration.staff.updated` may be on the way)."""
    from .request_session import db
    from .staff_projection import projected_standing  # it imports the service machinery

    runtime = current_app.extensions.get("kx")
    if runtime is None:  # a bare Flask app (shared's own tests) has no service, so no accounts to ask
        return False
    standing = (runtime.service.staff_standing or projected_standing)(db(), staff.id)
    return standing is not None and standing.refuses(staff.token_version)


def authorise(*grants) -> Staff:
    """The one role check. Each grant is a role, or `(role, scope)`; the caller needs one of them
    (no role implies another: name `admin` where the programme team may act too).

    401 without valid credentials, 403 when signed in but none of the grants applies.
    """
    staff = current_staff()
    if staff is None:
        raise SignInRequired(_("Sign in to continue."))
    if not grants:  # any signed-in staff member
        return staff
    if staff.may(*grants):
        return staff
    raise ApiError(403, _("You do not have permission to do that."), code="forbidden")
