"""What the notifications API answers: output schemas that list every field (shared/api.py).

`@api.response` dumps a view's rows with these, and the OpenAPI document describes its answers
with the same classes, so what is written and what is documented cannot differ.
"""

from __future__ import annotations

from marshmallow import fields

from shared.api import DateTime, Output


class AttachmentOut(Output):
    filename = fields.Str(required=True)
    content_type = fields.Str(required=True)


class MessageOut(Output):
    """`GET /notifications/api/messages` rows, exactly as the contract names them."""

    id = fields.Int(required=True)
    to = fields.Str(required=True, attribute="recipient")
    subject = fields.Str(required=True)
    template = fields.Str(required=True)
    language = fields.Str(required=True)
    status = fields.Str(required=True)
    event_id = fields.Str(required=True)
    created_at = DateTime(required=True)
    sent_at = DateTime(required=True, allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentOut), required=True)


class AnnouncementOut(Output):
    """A host's joining information for one exchange, as last saved."""

    exchange_id = fields.Int(required=True)
    contacts = fields.Str(required=True)
    timings = fields.Str(required=True)
    venue = fields.Str(required=True)
    access = fields.Str(required=True)
    #: each part in Welsh, null when the host wrote none (CONTRACT.md "Content in Welsh and English")
    contacts_cy = fields.Str(required=True, allow_none=True)
    timings_cy = fields.Str(required=True, allow_none=True)
    venue_cy = fields.Str(required=True, allow_none=True)
    access_cy = fields.Str(required=True, allow_none=True)
    version = fields.Int(required=True)
    updated_at = DateTime(required=True)


class AnnouncementSent(AnnouncementOut):
    """The joining information as saved, and how many participants it was sent to."""

    messages_queued = fields.Int(required=True)


class MessageToPeoplePreview(Output):
    """Who a message would go to: how many people, and how many read it in each language."""

    recipients = fields.Int(required=True)
    in_english = fields.Int(required=True)
    in_welsh = fields.Int(required=True)


class MessageToPeopleQueued(Output):
    """How many people the message was queued for (those who had it already are not counted)."""

    messages_queued = fields.Int(required=True)
