"""Who may do what with a summary or a pack: learning's grants for the one role check.

No role implies another, so each check names the programme team (`admin`) where it may act too.
Separation of duties: whoever hosts an exchange does not review its summary, even when they lead
its theme (or are on the programme team); someone else approves or returns it.
"""

from __future__ import annotations

from flask_babel import gettext as _

from shared.auth import Staff, authorise, current_staff
from shared.errors import ApiError

from ..models import Exchange


def writers(exchange: Exchange) -> tuple:
    """Hosts of this exchange and the programme team write and submit its summary."""
    return ("host", exchange.id), "admin"


def reviewers(exchange: Exchange) -> tuple:
    """Leads of its theme and the programme team approve or return it."""
    return ("theme_lead", exchange.theme), "admin"


def reflection_readers(exchange: Exchange) -> tuple:
    """Participants write their reflections for the hosts of their exchange, who fold them into its
    summary (as may the programme team, who can write it in their place). Theme leads review the
    summary, never the reflections it was made from (docs/privacy.md)."""
    return writers(exchange)


def may_write(exchange: Exchange) -> Staff:
    return authorise(*writers(exchange))


def may_review(exchange: Exchange) -> Staff:
    """A reviewer who does not host the exchange: 403 naming the rule for one who does."""
    staff = authorise(*reviewers(exchange))
    if hosts(staff, exchange):
        raise ApiError(403, _("You host this exchange, so someone else must approve or return its summary."),
                       code="host_cannot_review")
    return staff


def can_review(staff: Staff, exchange: Exchange) -> bool:
    """What `may_review` allows, as a yes or no for a page's buttons."""
    return staff.may(*reviewers(exchange)) and not hosts(staff, exchange)


def review_barred(staff: Staff, exchange: Exchange) -> bool:
    """A reviewer of its theme kept from reviewing only because they host the exchange."""
    return staff.may(*reviewers(exchange)) and hosts(staff, exchange)


def hosts(staff: Staff, exchange: Exchange) -> bool:
    return staff.has("host", exchange.id)


def may_read(exchange: Exchange) -> Staff:
    return authorise(*writers(exchange), *reviewers(exchange))


def may_download(scope: str) -> Staff:
    if scope == "programme":
        return authorise("admin")
    return authorise(("theme_lead", scope), "admin")


def led_themes(staff: Staff | None = None) -> set[str] | None:
    """The themes a member of staff sees figures for: the ones they lead; None means all of them
    (the programme team)."""
    staff = staff or current_staff()
    if staff is None:
        return set()
    if staff.has("admin"):
        return None
    return set(staff.scopes("theme_lead"))
