"""A host's joining information through the API: read it, or write it and send it."""

from __future__ import annotations

from flask_babel import gettext as _

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.errors import ApiError
from shared.web import db, runtime

from ..config import mail_settings
from ..operations.announcements import announcement, known_exchange, write_announcement
from ..outputs import AnnouncementOut, AnnouncementSent
from ..schemas import AnnouncementIn
from .blueprint import blueprint

#: what the saved joining information is answered with, beside `messages_queued`
SAVED_FIELDS = tuple(AnnouncementOut().fields)


def announcers(exchange_id: int) -> tuple:
    """The grants of an exchange's joining information: its hosts and the programme team."""
    return ("host", exchange_id), "admin"


def _may_host(exchange_id: int) -> None:
    """The caller hosts the exchange of the path (or is an admin)."""
    authorise(*announcers(exchange_id))


@blueprint.get("/exchanges/<int:exchange_id>/announcement")
@api.access(STAFF)
@api.response(AnnouncementOut)
def get_announcement(exchange_id: int):
    """The host's joining information for the exchange (host of it, admin)."""
    authorise(*announcers(exchange_id))
    known_exchange(db(), exchange_id)
    current = announcement(db(), exchange_id)
    if current is None:
        raise ApiError(404, _("Not found."))
    return current


@blueprint.put("/exchanges/<int:exchange_id>/announcement")
@api.access(STAFF)
@api.response(AnnouncementSent)
@api.checked_first(_may_host)
@api.arguments(AnnouncementIn)
def put_announcement(values: dict, exchange_id: int):
    """Write the joining information and send it to the participants (host of it, admin)."""
    staff = authorise(*announcers(exchange_id))
    saved, sent = write_announcement(db(), mail_settings(runtime().settings), exchange_id, values, staff.id, staff=staff)
    return {**{name: getattr(saved, name) for name in SAVED_FIELDS}, "messages_queued": sent}
