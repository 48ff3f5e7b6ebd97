"""Input and output of the notifications API: marshmallow schemas that list their fields."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

#: the most a host may write in one part of the joining information
ANNOUNCEMENT_LIMIT = 4000


class AttachmentOut(Schema):
    filename = fields.Str()
    content_type = fields.Str()


class MessageOut(Schema):
    """`GET /notifications/api/messages` rows, exactly as the contract names them."""

    id = fields.Int()
    to = fields.Str(attribute="recipient")
    subject = fields.Str()
    template = fields.Str()
    language = fields.Str()
    status = fields.Str()
    event_id = fields.Str()
    created_at = fields.AwareDateTime(format="iso")
    sent_at = fields.AwareDateTime(format="iso", allow_none=True)
    attachments = fields.List(fields.Nested(AttachmentOut))


def _text(missing: str):
    return fields.Str(
        required=True, error_messages={"required": missing, "null": missing},
        validate=[validate.Length(min=1, error=missing),
                  validate.Length(max=ANNOUNCEMENT_LIMIT,
                                  error=f"Write at most {ANNOUNCEMENT_LIMIT} characters")])


class AnnouncementIn(Schema):
    """A host's joining information: every part is needed, in plain text."""

    contacts = _text("Enter who participants can contact")
    timings = _text("Enter the timings of the day")
    venue = _text("Enter where the venue is and how to get in")
    access = _text("Enter the venue's access information")


class AnnouncementOut(Schema):
    exchange_id = fields.Int()
    contacts = fields.Str()
    timings = fields.Str()
    venue = fields.Str()
    access = fields.Str()
    version = fields.Int()
    updated_at = fields.AwareDateTime(format="iso")


class AnnouncementSent(AnnouncementOut):
    """The joining information as saved, and how many participants it was sent to."""

    messages_queued = fields.Int()
