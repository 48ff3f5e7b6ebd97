"""The delivery log through the API: one recipient's messages, as the contract names them."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.web import db

from ..operations import delivery_log as log
from ..outputs import MessageOut
from ..schemas import MessagesQuery
from .blueprint import blueprint


def _admin() -> None:
    authorise("admin")


@blueprint.get("/messages")
@api.access(STAFF)
@api.response(MessageOut(many=True))
@api.checked_first(_admin)
@api.arguments(MessagesQuery, location="query")
def list_messages(query):
    """The delivery log of one recipient (admin)."""
    return log.delivery_log(db(), query["to"], exact=True)
