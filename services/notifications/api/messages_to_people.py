"""Messages from the programme team to people, through the API: how many a message would reach,
and sending it (admin)."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.web import db, runtime

from ..config import mail_settings
from ..operations import messages_to_people as to_people
from ..outputs import MessageToPeoplePreview, MessageToPeopleQueued
from ..schemas import AudienceIn, MessageToPeopleIn
from .blueprint import blueprint


@blueprint.post("/messages/preview")
@api.access(STAFF)
@api.response(MessageToPeoplePreview)
@api.authorised_first(lambda: "admin")
@api.arguments(AudienceIn)
def preview_message(audience):
    """How many people an audience holds, and in which language each will read it (admin)."""
    people = to_people.recipients(db(), audience)
    counts = to_people.languages(people)
    return {"recipients": len(people), "in_english": counts["en"], "in_welsh": counts["cy"]}


@blueprint.post("/messages")
@api.access(STAFF)
@api.response(MessageToPeopleQueued, status=202)
@api.authorised_first(lambda: "admin")
@api.arguments(MessageToPeopleIn)
def send_message(values):
    """Send a message, written in English and Welsh, to an audience: each person in their language
    (admin). The same message to the same audience again reaches only those who have not had it."""
    staff = authorise("admin")
    texts = {name: values[name] for name in to_people.TEXTS}
    queued = to_people.send(db(), mail_settings(runtime().settings), values["audience"], texts, staff)
    return {"messages_queued": queued}
