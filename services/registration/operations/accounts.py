"""The life of a staff account: invited, given a password by a single-use link, changed, reset,
deactivated and reactivated.

An account's roles are `staff_roles` rows (admin, finance, theme_lead per theme) plus `host`, which
hosting an exchange gives (`exchange_hosts`, by email, also set from the exchange form). Every
change of an account emits `registration.staff.updated` with what it now is; deactivating it, or
changing its roles or scopes, also raises its `token_version`, which revokes the tokens it was
given before. Set-password links are kept as hashes; only the event that asks notifications to
send one (`registration.staff.invited`, `registration.staff.reset_requested`) carries the token.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import gettext as _
from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from shared import audit
from shared.db import utcnow
from shared.errors import ApiError
from shared.events import STAFF_INVITED, STAFF_RESET_REQUESTED, STAFF_UPDATED
from shared.manage_tokens import new_token, token_hash, well_formed
from shared.outbox import emit
from shared.times import iso

from ..models import Exchange, ExchangeHost, PasswordLink, StaffAccount, StaffRole, Theme
from ..models.password_link import INVITATION, RESET
from ..models.staff_account import ACTIVE, DISABLED, INVITED
from .passwords import check_password
from .staff import count_failure, hash_password, locked, verify_password

LIFETIMES = {INVITATION: timedelta(days=7), RESET: timedelta(hours=1)}
#: at most this many links an hour by email to one account when anyone may ask (a reset, or a new
#: link in place of a spent one): more would let a stranger flood a colleague's inbox. Counted from
#: the links table, so it holds across web processes.
LINKS_ASKED_PER_HOUR = 3
#: the roles given directly; `host` comes from hosting exchanges
DIRECT_ROLES = ("admin", "theme_lead", "finance")
ROLES = ("admin", "host", "theme_lead", "finance")
#: why a set-password link opens nothing (the page says which, and offers a new one)
UNKNOWN, SPENT, EXPIRED = "unknown", "spent", "expired"


class AccountExists(ApiError):
    """Inviting an email that already has an account: 409, with that account."""

    def __init__(self, account: StaffAccount):
        super().__init__(409, _("There is already a staff account with that email address."), code="account_exists")
        self.account = account


class LinkRefused(Exception):
    """A set-password link that opens nothing: `reason` is UNKNOWN (never issued, or its account is
    disabled), SPENT or EXPIRED."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Scopes:
    """What an account may do: its roles and the exchanges and themes they are scoped to."""

    roles: tuple[str, ...]
    exchanges: tuple[int, ...]
    themes: tuple[str, ...]


# --- reading --------------------------------------------------------------------------------------


def scopes_of(session: Session, account: StaffAccount) -> Scopes:
    rows = session.execute(select(StaffRole.role, StaffRole.scope).where(StaffRole.staff_id == account.id)).all()
    exchanges = tuple(session.scalars(select(ExchangeHost.exchange_id).where(ExchangeHost.email == account.email)
                                      .order_by(ExchangeHost.exchange_id)))
    roles = {role for role, _scope in rows} | ({"host"} if exchanges else set())
    return Scopes(roles=tuple(r for r in ROLES if r in roles), exchanges=exchanges,
                  themes=tuple(sorted(scope for role, scope in rows if role == "theme_lead" and scope)))


def account_view(session: Session, account: StaffAccount) -> dict:
    """An account as the staff API and pages show it (never its password)."""
    scopes = scopes_of(session, account)
    return {"id": account.id, "email": account.email, "name": account.name, "status": account.status,
            "language": account.language, "roles": list(scopes.roles), "exchanges": list(scopes.exchanges),
            "themes": list(scopes.themes), "last_signed_in_at": account.last_signed_in_at,
            "created_at": account.created_at, "token_version": account.token_version}


def list_accounts(session: Session) -> list[dict]:
    return [account_view(session, account)
            for account in session.scalars(select(StaffAccount).order_by(StaffAccount.name, StaffAccount.email))]


def host_choices(session: Session, exchange_id: int | None = None) -> list[tuple[str, str]]:
    """Whom the exchange form offers as hosts, `(email, label)`: active or invited accounts with
    the host role, and whoever hosts this exchange now (a deactivated account, an email with no
    account yet), so that saving the form keeps them unless they are unticked."""
    current = set(session.scalars(select(ExchangeHost.email).where(ExchangeHost.exchange_id == exchange_id)))
    hosting = select(ExchangeHost.email)
    return _choices(session, StaffAccount.email.in_(hosting), current, key=lambda account: account.email)


def lead_choices(session: Session, theme_code: str | None = None) -> list[tuple[str, str]]:
    """Whom the theme form offers as theme leads, `(staff id, label)`: active or invited accounts
    with the theme lead role, and whoever leads this theme now."""
    current = theme_lead_ids(session, theme_code)
    leading = select(StaffRole.staff_id).where(StaffRole.role == "theme_lead")
    return [(str(key), label) for key, label in
            _choices(session, StaffAccount.id.in_(leading), current, key=lambda account: account.id)]


def theme_lead_ids(session: Session, theme_code: str | None) -> set[int]:
    """The accounts that lead a theme."""
    return set(session.scalars(select(StaffRole.staff_id).where(StaffRole.role == "theme_lead",
                                                                 StaffRole.scope == theme_code)))


def _choices(session: Session, has_role, current: set, key) -> list[tuple]:
    with_role = set(session.scalars(select(StaffAccount.id).where(has_role, StaffAccount.status != DISABLED)))
    accounts = session.scalars(select(StaffAccount).order_by(StaffAccount.name, StaffAccount.email))
    chosen = [a for a in accounts if key(a) in current or a.id in with_role]
    found = {key(a) for a in chosen}
    return ([(key(a), f"{a.name} ({a.email})") for a in chosen]
            + [(other, str(other)) for other in sorted(current - found, key=str)])


def find_account(session: Session, staff_id: int, lock: bool = False) -> StaffAccount:
    query = select(StaffAccount).where(StaffAccount.id == staff_id)
    account = session.scalar(query.with_for_update() if lock else query)
    if account is None:
        raise ApiError(404, _("There is no staff account with that number."), code="not_found")
    return account


def account_by_email(session: Session, email: str, lock: bool = False) -> StaffAccount | None:
    query = select(StaffAccount).where(StaffAccount.email == (email or "").strip().casefold())
    return session.scalar(query.with_for_update() if lock else query)


# --- inviting -------------------------------------------------------------------------------------


def create_staff(session: Session, email: str, name: str, password: str,
                 roles: dict[str, list] | None = None, now: datetime | None = None) -> StaffAccount:
    """An active account with a password (the demo's, tests'), with direct roles, e.g.
    `{"admin": []}`, `{"theme_lead": ["T1", "T2"]}`; host scopes come from the exchanges'
    `host.accounts`."""
    account = StaffAccount(email=email.strip().casefold(), name=name, password_hash=hash_password(password),
                           status=ACTIVE, language="en", token_version=1, failed_attempts=0,
                           created_at=now or utcnow())
    session.add(account)
    session.flush()
    for role, scopes in (roles or {}).items():
        for scope in scopes or [""]:
            session.add(StaffRole(staff_id=account.id, role=role, scope=scope))
    session.flush()
    _emit_updated(session, account)
    return account


def invite(session: Session, fields: dict, now: datetime | None = None, email_it: bool = True,
           staff=None) -> tuple[StaffAccount, str]:
    """A new account, invited by `staff` (None: `kx staff add`): `fields` as `schemas.StaffInput`
    loads them. Returns it with its set-password link's token (valid 7 days). `email_it` asks
    notifications to send the `staff_invitation` email; `kx staff add` prints the link instead."""
    now = now or utcnow()
    existing = account_by_email(session, fields["email"])
    if existing is not None:
        raise AccountExists(existing)
    account = StaffAccount(email=fields["email"].strip().casefold(), name=fields["name"], password_hash=None,
                           status=INVITED, language=fields.get("language") or "en", token_version=1,
                           failed_attempts=0, created_at=now)
    session.add(account)
    session.flush()
    _set_scopes(session, account, _checked_scopes(session, Scopes((), (), ()), fields))
    token = _issue_link(session, account, INVITATION, now)
    if email_it:
        _emit_link(session, STAFF_INVITED, account, token, now + LIFETIMES[INVITATION])
    _emit_updated(session, account)
    audit.record(session, staff, "staff.invited", ("staff_account", account.id), None, _audited(session, account))
    return account, token


def reinvite(session: Session, account: StaffAccount, now: datetime | None = None) -> str:
    """A new invitation link for an account that has not set its password yet (emailed); its
    earlier links are spent, so only the newest one in the inbox works."""
    now = now or utcnow()
    _spend_links(session, account, now)
    token = _issue_link(session, account, INVITATION, now)
    _emit_link(session, STAFF_INVITED, account, token, now + LIFETIMES[INVITATION])
    return token


def resend_invitation(session: Session, account: StaffAccount, now: datetime | None = None, staff=None) -> str:
    """The programme team sends an invited account its invitation again (a new link, the old one
    spent); 409 for an account that is not invited (it has a password, or is deactivated)."""
    if account.status != INVITED:
        raise ApiError(409, _("Only an account that is still invited can be sent its invitation again."),
                       code="not_invited")
    now = now or utcnow()
    before = session.scalar(select(func.max(PasswordLink.created_at)).where(
        PasswordLink.staff_id == account.id, PasswordLink.purpose == INVITATION))
    token = reinvite(session, account, now)
    audit.record(session, staff, "staff.invitation_resent", ("staff_account", account.id),
                 {"invitation_sent_at": before}, {"invitation_sent_at": now})
    return token


# --- changing -------------------------------------------------------------------------------------


def change_account(session: Session, account: StaffAccount, fields: dict, now: datetime | None = None,
                   staff=None) -> StaffAccount:
    """Change any of `roles`, `exchanges`, `themes`, `active` (and `name`, `language`).

    Deactivating an account, or changing its roles or scopes, raises its token version. Leaving
    no active admin is refused (409)."""
    before = scopes_of(session, account)
    after = _checked_scopes(session, before, fields)
    was = (account.name, account.language, account.status)
    audited_before = _audited(session, account)
    was_active = account.status != DISABLED
    active = fields.get("active", was_active)
    if account.status == ACTIVE and "admin" in before.roles and (not active or "admin" not in after.roles):
        _refuse_losing_the_last_admin(session, account)
    for name in ("name", "language"):
        if name in fields and fields[name] != getattr(account, name):
            setattr(account, name, fields[name])
    if after != before:
        _set_scopes(session, account, after)
    if after != before or (was_active and not active):
        account.token_version += 1  # its earlier tokens no longer say what it may do
    if was_active and not active:
        account.status = DISABLED
        _spend_links(session, account, now or utcnow())
    elif active and not was_active:
        account.status = ACTIVE if account.password_hash else INVITED
    session.flush()
    if after != before or was != (account.name, account.language, account.status):
        _emit_updated(session, account)
        action = {(True, False): "staff.deactivated", (False, True): "staff.reactivated"}.get(
            (was_active, active), "staff.changed")
        audit.record(session, staff, action, ("staff_account", account.id), audited_before, _audited(session, account))
    return account


def disable(session: Session, account: StaffAccount, now: datetime | None = None, staff=None) -> StaffAccount:
    return change_account(session, account, {"active": False}, now, staff)


def set_exchange_hosts(session: Session, exchange_id: int, emails, staff=None) -> None:
    """Who hosts one exchange (the exchange form and API): each account that gains or loses it is
    changed by `change_account`, as the account's own page would (token revoked, event, audit).
    An email with no account yet keeps its row, and the account invited later with it hosts."""
    before = set(session.scalars(select(ExchangeHost.email).where(ExchangeHost.exchange_id == exchange_id)))
    after = {e.strip().casefold() for e in emails if e.strip()}
    with_accounts = set()
    for account in session.scalars(select(StaffAccount).where(StaffAccount.email.in_(sorted(before ^ after)))
                                   .order_by(StaffAccount.id).with_for_update()):
        with_accounts.add(account.email)
        change_account(session, account, _one_scope(scopes_of(session, account), "host", "exchanges", exchange_id,
                                                     account.email in after), staff=staff)
    gone = (before - after) - with_accounts
    if gone:
        session.execute(delete(ExchangeHost).where(ExchangeHost.exchange_id == exchange_id,
                                                   ExchangeHost.email.in_(sorted(gone))))
    session.add_all(ExchangeHost(exchange_id=exchange_id, email=email) for email in sorted((after - before) - with_accounts))
    session.flush()


def set_theme_leads(session: Session, theme_code: str, staff_ids, staff=None) -> None:
    """Who leads one theme (the theme form): each account that gains or loses it is changed by
    `change_account` (token revoked, event, audit)."""
    wanted = set(staff_ids)
    leading = theme_lead_ids(session, theme_code)
    for staff_id in sorted(wanted ^ leading):
        account = find_account(session, staff_id, lock=True)
        change_account(session, account, _one_scope(scopes_of(session, account), "theme_lead", "themes", theme_code,
                                                     staff_id in wanted), staff=staff)


def _one_scope(scopes: Scopes, role: str, field: str, value, given: bool) -> dict:
    """The change that gives an account one more of `field` (`exchanges`, `themes`) or takes one
    away; `role` comes with its first scope and goes with its last."""
    values = set(getattr(scopes, field)) | {value} if given else set(getattr(scopes, field)) - {value}
    roles = set(scopes.roles) | {role} if values else set(scopes.roles) - {role}
    return {"roles": sorted(roles), field: sorted(values)}


def _checked_scopes(session: Session, current: Scopes, fields: dict) -> Scopes:
    """The roles and scopes `fields` ask for, from `current`: each role with its scopes, each
    scope with its role, every exchange and theme one that exists (422 otherwise)."""
    roles = tuple(r for r in ROLES if r in fields.get("roles", current.roles))
    exchanges = tuple(sorted(set(fields.get("exchanges", current.exchanges if "host" in roles else ()))))
    themes = tuple(sorted(set(fields.get("themes", current.themes if "theme_lead" in roles else ()))))
    errors = {}
    if "host" in roles and not exchanges:
        errors["exchanges"] = [_("Choose the exchanges this host hosts.")]
    elif exchanges and "host" not in roles:
        errors["exchanges"] = [_("Give the host role to an account that hosts exchanges.")]
    elif exchanges:
        known = set(session.scalars(select(Exchange.id).where(Exchange.id.in_(exchanges))))
        if unknown := [str(i) for i in exchanges if i not in known]:
            errors["exchanges"] = [_("There is no exchange %(ids)s.", ids=", ".join(unknown))]
    if "theme_lead" in roles and not themes:
        errors["themes"] = [_("Choose the themes this theme lead leads.")]
    elif themes and "theme_lead" not in roles:
        errors["themes"] = [_("Give the theme lead role to an account that leads themes.")]
    elif themes:
        known = set(session.scalars(select(Theme.code).where(Theme.code.in_(themes))))
        if unknown := [code for code in themes if code not in known]:
            errors["themes"] = [_("There is no theme %(codes)s.", codes=", ".join(unknown))]
    if errors:
        raise ApiError(422, next(iter(errors.values()))[0], code="invalid", fields=errors)
    return Scopes(roles, exchanges, themes)


def _set_scopes(session: Session, account: StaffAccount, scopes: Scopes) -> None:
    session.execute(delete(StaffRole).where(StaffRole.staff_id == account.id))
    for role in scopes.roles:
        if role == "theme_lead":
            session.add_all(StaffRole(staff_id=account.id, role=role, scope=code) for code in scopes.themes)
        elif role in DIRECT_ROLES:
            session.add(StaffRole(staff_id=account.id, role=role, scope=""))
    session.execute(delete(ExchangeHost).where(ExchangeHost.email == account.email))
    session.add_all(ExchangeHost(exchange_id=i, email=account.email) for i in scopes.exchanges)
    session.flush()


def _refuse_losing_the_last_admin(session: Session, account: StaffAccount) -> None:
    others = session.scalar(select(func.count()).select_from(StaffAccount).join(
        StaffRole, StaffRole.staff_id == StaffAccount.id).where(
        StaffRole.role == "admin", StaffAccount.status == ACTIVE, StaffAccount.id != account.id))
    if not others:
        raise ApiError(409, _("This is the last active admin account. Make another account an admin first."),
                       code="last_admin")


# --- passwords ------------------------------------------------------------------------------------


def open_link(session: Session, token: object, now: datetime | None = None, lock: bool = False) -> tuple[PasswordLink, StaffAccount]:
    """The link and account a set-password token opens, or LinkRefused saying why."""
    now = now or utcnow()
    if not well_formed(token):
        raise LinkRefused(UNKNOWN)
    digest = token_hash(token)
    query = select(PasswordLink).where(PasswordLink.token_hash == digest)
    link = session.scalar(query.with_for_update() if lock else query)
    if link is None or not hmac.compare_digest(link.token_hash, digest):
        raise LinkRefused(UNKNOWN)
    account = session.get(StaffAccount, link.staff_id)
    if account is None or account.status == DISABLED:
        raise LinkRefused(UNKNOWN)
    if link.used_at is not None:
        raise LinkRefused(SPENT)
    if now >= link.expires_at:
        raise LinkRefused(EXPIRED)
    return link, account


def set_password(session: Session, token: object, password: str, now: datetime | None = None) -> StaffAccount:
    """Set the password of the account a link opens (422 naming the rule it breaks); the link,
    and every other link of the account, is spent. An invited account becomes active."""
    now = now or utcnow()
    check_password(password)
    link, account = open_link(session, token, now, lock=True)
    account.password_hash = hash_password(password)
    account.status = ACTIVE
    account.failed_attempts, account.locked_until = 0, None
    if link.purpose == RESET:
        account.token_version += 1  # whoever held the old password loses the sessions it gave them
    _spend_links(session, account, now)
    session.flush()
    _emit_updated(session, account)
    return account


def change_password(session: Session, account: StaffAccount, current: str, new: str,
                    now: datetime | None = None) -> StaffAccount:
    """Change a signed-in account's password, asking for the current one (a wrong one counts
    towards the lockout, as at sign-in: the caller commits it even though it refuses)."""
    now = now or utcnow()
    if locked(account, now) or not verify_password(account.password_hash, current):
        count_failure(session, account, now)
        message = _("Enter your current password correctly.")
        raise ApiError(422, message, code="invalid", fields={"current_password": [message]})
    check_password(new, field="new_password")
    account.password_hash = hash_password(new)
    account.failed_attempts, account.locked_until = 0, None
    account.token_version += 1
    _spend_links(session, account, now)
    session.flush()
    _emit_updated(session, account)
    return account


def request_reset(session: Session, email: str, now: datetime | None = None) -> None:
    """Email a 1-hour reset link to an active account with this email; for any other email do as
    much work and say nothing (the caller answers 202 either way)."""
    now = now or utcnow()
    account = account_by_email(session, email, lock=True)
    if account is None or account.status != ACTIVE or _asked_too_often(session, account, RESET, now):
        token_hash(new_token())  # what issuing a link costs, so that the answer takes as long
        return
    token = _issue_link(session, account, RESET, now)
    _emit_link(session, STAFF_RESET_REQUESTED, account, token, now + LIFETIMES[RESET])


def request_reset_for_link(session: Session, token: object, now: datetime | None = None) -> None:
    """A new link in place of an expired or spent one: a reset for an active account, a new
    invitation for an invited one; nothing for a link that never was."""
    now = now or utcnow()
    if not well_formed(token):
        return
    link = session.scalar(select(PasswordLink).where(PasswordLink.token_hash == token_hash(token)))
    account = session.get(StaffAccount, link.staff_id, with_for_update=True) if link is not None else None
    if account is None or account.status == DISABLED:
        return
    if account.status == INVITED:
        if not _asked_too_often(session, account, INVITATION, now):
            reinvite(session, account, now)
    else:
        request_reset(session, account.email, now)


def _asked_too_often(session: Session, account: StaffAccount, purpose: str, now: datetime) -> bool:
    """Whether the account has had LINKS_ASKED_PER_HOUR links of this purpose in the last hour
    (the caller holds the account's row locked, so two requests at once cannot both pass)."""
    lately = session.scalar(select(func.count()).select_from(PasswordLink).where(
        PasswordLink.staff_id == account.id, PasswordLink.purpose == purpose,
        PasswordLink.created_at > now - timedelta(hours=1)))
    return lately >= LINKS_ASKED_PER_HOUR


def _issue_link(session: Session, account: StaffAccount, purpose: str, now: datetime) -> str:
    token = new_token()
    session.add(PasswordLink(staff_id=account.id, token_hash=token_hash(token), purpose=purpose, created_at=now,
                             expires_at=now + LIFETIMES[purpose]))
    session.flush()
    return token


def _spend_links(session: Session, account: StaffAccount, now: datetime) -> None:
    session.execute(update(PasswordLink).where(PasswordLink.staff_id == account.id, PasswordLink.used_at.is_(None))
                    .values(used_at=now))


# --- events ---------------------------------------------------------------------------------------


def republish_all(session: Session) -> int:
    """Every account announced again as it is now (`registration.staff.updated`), for `kx staff
    republish`: a service whose copy of the accounts gained a field after they were announced
    (the email language and finance standing kept by notifications_0010 and learning_0009) takes it
    from these. A copy keeps the newest version of each account, so this changes nothing else and
    revokes no token. Returns how many."""
    accounts = session.scalars(select(StaffAccount).order_by(StaffAccount.id)).all()
    for account in accounts:
        _emit_updated(session, account)
    return len(accounts)


def _emit_updated(session: Session, account: StaffAccount) -> None:
    scopes = scopes_of(session, account)
    emit(session, STAFF_UPDATED, {
        "id": account.id, "email": account.email, "roles": list(scopes.roles), "exchanges": list(scopes.exchanges),
        "themes": list(scopes.themes), "language": account.language, "active": account.status != DISABLED,
        "token_version": account.token_version})


def _audited(session: Session, account: StaffAccount) -> dict:
    """What the audit log keeps of an account: who it is and what it may do, never a password."""
    scopes = scopes_of(session, account)
    return {"email": account.email, "name": account.name, "language": account.language, "status": account.status,
            "roles": list(scopes.roles), "exchanges": list(scopes.exchanges), "themes": list(scopes.themes)}


def _emit_link(session: Session, event_type: str, account: StaffAccount, token: str, expires_at: datetime) -> None:
    emit(session, event_type, {"id": account.id, "email": account.email, "name": account.name,
                               "language": account.language, "token": token, "expires_at": iso(expires_at)})
