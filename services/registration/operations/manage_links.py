"""Manage links lost or no longer trusted: a new one, emailed (contract, "Security rules").

Registration keeps only a token's hash, so it cannot send the old link again: asking for it again
(`send_links_again`, by email) and replacing it from the manage page (`replace_link`) both issue a
new token. The old one then opens nothing here at once, and nothing in learning or expenses as
soon as they handle `registration.application.link_replaced` (their projections keep the new
hash); notifications keeps the new token sealed and emails the link. The new link goes to the
application's own address, so whoever asks learns nothing and gains nothing: the answer is the
same whether or not the email has applied (no enumeration).

Both are limited per email (counted in the database, so the limit holds across every web
process): past the limit a request for the link changes nothing and still answers the same; a
replacement from the manage page is refused with 429 (its holder already has the page). Requests
are also limited per client address, a ceiling sized for an NHS building behind one address.
"""

from __future__ import annotations

from datetime import timedelta

from flask import current_app, has_app_context
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.config import Settings
from shared.errors import ApiError
from shared.events import LINK_REPLACED
from shared.manage_tokens import new_token, token_hash
from shared.outbox import emit
from shared.ratelimit import hit

from ..models import Application
from .allocation import sealed_token

#: the window both limits count in
WINDOW = timedelta(hours=1)
#: new links an email may be sent in WINDOW (`KX_LINK_REQUEST_LIMIT`)
PER_EMAIL = ("KX_LINK_REQUEST_LIMIT", 3)
#: requests for a link one client address may make in WINDOW (`KX_LINK_REQUEST_ADDRESS_LIMIT`)
PER_ADDRESS = ("KX_LINK_REQUEST_ADDRESS_LIMIT", 200)
#: the newest applications of one email that a request renews: one since issue 15 (one person, one
#: application, one link); an email that applied several times before then has several, each its own link
MAX_APPLICATIONS = 10


def replace_link(session: Session, application: Application, reason: str) -> None:
    """Issue the application a new manage token; the old one stops working. Emits
    `registration.application.link_replaced` with the new token sealed, for the email."""
    token = new_token()
    application.manage_token_hash = token_hash(token)
    emit(session, LINK_REPLACED, {
        "application_id": application.id, "reason": reason,
        "applicant": {"name": application.name, "email": application.email, "language": application.language,
                      "participant_type": application.participant_type,
                      "stakeholder_group": application.stakeholder_group or None},
        "manage_token_hash": application.manage_token_hash, "manage_token_sealed": sealed_token(session, token)})


def replace_from_manage_page(session: Session, settings: Settings, application: Application) -> None:
    """The holder of the link asks for a new one: 429 past the email's limit, else `replace_link`."""
    if not _counted(session, settings, "email", application.email_folded, PER_EMAIL):
        raise ApiError(429, _("You have asked for several new links in the last hour. Wait an hour and try again."),
                       code="rate_limited", retry_after=int(WINDOW.total_seconds()))
    replace_link(session, application, "replaced")


def send_links_again(session: Session, settings: Settings, email: str, address: str) -> None:
    """Email a new link to the person's application (one per email since issue 15, so one link; an
    email with several from before: each of the newest) (none: nothing happens, and nothing says so). 429 only when this client address has asked too often, whatever the email."""
    if not _counted(session, settings, "address", address, PER_ADDRESS):
        raise ApiError(429, _("Too many requests from this address. Wait an hour and try again."),
                       code="rate_limited", retry_after=int(WINDOW.total_seconds()))
    folded = email.strip().casefold()
    if not _counted(session, settings, "email", folded, PER_EMAIL):
        return
    for application in session.scalars(
            select(Application).where(Application.email_folded == folded, Application.erased_at.is_(None))
            .order_by(Application.id.desc()).limit(MAX_APPLICATIONS)):
        replace_link(session, application, "requested")


def sent_message() -> str:
    """What a request for the link is answered, whatever the email."""
    return _("If that email address has applied, we have sent it a new link to its bookings. The link sent "
             "before no longer works.")


def replaced_message() -> str:
    return _("We have emailed you a new link. The link you used no longer works.")


def _counted(session: Session, settings: Settings, kind: str, value: str, limit: tuple[str, int]) -> bool:
    """One request counted against `kind`'s limit for `value` (shared.ratelimit: in the database,
    the key kept as an HMAC); False when the limit is reached, nothing counted then."""
    return hit(session, ("link-request", kind, value), _configured(settings, *limit),
               int(WINDOW.total_seconds())).allowed


def _configured(settings: Settings, name: str, default: int) -> int:
    """The limit from the environment, or from the app's configuration (as `ratelimit.Limit` reads it)."""
    raw = str((current_app.config.get(name) if has_app_context() else None) or settings.extra.get(name) or "").strip()
    return max(int(raw), 0) if raw.isdecimal() else default
