"""Who may do what with a summary or a pack: learning's grants for the one role check."""

from __future__ import annotations

from shared.auth import Staff, authorise, current_staff

from ..models import Exchange


def may_write(exchange: Exchange) -> Staff:
    """Hosts of this exchange (and admins) write and submit its summary."""
    return authorise(("host", exchange.id))


def may_review(exchange: Exchange) -> Staff:
    """Leads of its theme (and admins) approve or return it."""
    return authorise(("theme_lead", exchange.theme))


def may_read(exchange: Exchange) -> Staff:
    return authorise(("host", exchange.id), ("theme_lead", exchange.theme))


def may_download(scope: str) -> Staff:
    if scope == "programme":
        return authorise("admin")
    return authorise(("theme_lead", scope))


def led_themes(staff: Staff | None = None) -> set[str] | None:
    """The themes a member of staff leads; None means all of them (admin)."""
    staff = staff or current_staff()
    if staff is None:
        return set()
    if "admin" in staff.roles:
        return None
    return set(staff.scopes("theme_lead"))
