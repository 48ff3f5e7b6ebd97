"""The notifications API's OpenAPI operations (served at `/notifications/api/openapi.json`).

Paths as `api.py` routes them, relative to `/notifications/api`. See shared/openapi.py.
"""

from __future__ import annotations

from shared.openapi import STAFF, STR, Operation, array

from .schemas import AnnouncementIn, AnnouncementOut, AnnouncementSent, MessageOut

OPERATIONS = {
    "GET /messages": Operation("The delivery log of one recipient (admin).", access=STAFF,
                               query={"to": STR}, response=array(MessageOut)),
    "GET /exchanges/<int:exchange_id>/announcement": Operation(
        "The host's joining information for the exchange (host of it, admin).", access=STAFF,
        response=AnnouncementOut),
    "PUT /exchanges/<int:exchange_id>/announcement": Operation(
        "Write the joining information and send it to the participants (host of it, admin).", access=STAFF,
        body=AnnouncementIn, response=AnnouncementSent),
}
