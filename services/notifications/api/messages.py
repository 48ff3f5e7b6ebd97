"""The delivery log through the API: one recipient's messages, as the contract names them."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.web import db

from ..operations import delivery_log as log
from ..outputs import MessageOut
from ..schemas import MessagesQuery
from .blueprint import blueprint


@blueprint.get("/messages")
@api.access(STAFF)
@api.response(MessageOut(many=True))
@api.authorised_first(lambda: "admin")
@api.arguments(MessagesQuery, location="query")
def list_messages(query):
    """The delivery log of one recipient (admin)."""
    return log.delivery_log(db(), query["to"], exact=True)
