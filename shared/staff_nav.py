"""The one staff navigation across the four services: what a signed-in member of staff may use,
by the one role check (`Staff.may`), so that nobody is offered a page that would refuse them.

The services are separate apps under one origin, so the links are paths, not `url_for`.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l

from .auth import Staff, current_staff


@dataclass(frozen=True)
class NavItem:
    label: str
    href: str
    #: the grants that may use the page (`Staff.may`); empty: any member of staff
    grants: tuple = ()


ITEMS = (
    NavItem(_l("Exchanges"), "/registration/staff/"),
    NavItem(_l("Summaries"), "/learning/", ("admin", "host", "theme_lead")),
    NavItem(_l("Packs"), "/learning/programme", ("admin",)),  # the programme's packs, and each theme's
    NavItem(_l("Packs"), "/learning/#packs", ("theme_lead",)),
    NavItem(_l("Claims"), "/expenses/finance/", ("finance",)),
    NavItem(_l("Payment runs"), "/expenses/finance/runs", ("finance",)),
    NavItem(_l("Dashboard"), "/expenses/finance/dashboard", ("finance",)),
    NavItem(_l("Messages to people"), "/notifications/messages/new", ("admin",)),  # write, preview, send
    NavItem(_l("Delivery log"), "/notifications/", ("admin",)),
    NavItem(_l("Staff accounts"), "/registration/staff/accounts", ("admin",)),
    NavItem(_l("Audit log"), "/registration/staff/audit", ("admin",)),
)


def items_for(staff: Staff) -> list[NavItem]:
    """The links this member of staff may follow. A host of one exchange also gets its joining
    information directly; hosts of several reach each exchange's from the staff home."""
    shown, labels = [], set()
    for item in ITEMS:  # the first of the items of one label that applies
        if (not item.grants or staff.may(*item.grants)) and str(item.label) not in labels:
            shown.append(item)
            labels.add(str(item.label))
    hosted = staff.scopes("host")
    if len(hosted) == 1:
        shown.insert(1, NavItem(_l("Joining information"), f"/notifications/exchanges/{hosted[0]}/announcement"))
    return shown


def current(item: NavItem, path: str) -> bool:
    """Whether `path` is the item's own page (`aria-current="page"`)."""
    return path == item.href.split("#", 1)[0]


def navigation() -> dict | None:
    """What the page frame shows a signed-in member of staff (`kx/base.html`), or None for anyone
    else and outside a request (an email's template)."""
    if not has_request_context():
        return None
    staff = current_staff()
    if staff is None:
        return None
    return {"staff": staff, "items": [(item, current(item, request.path)) for item in items_for(staff)]}
