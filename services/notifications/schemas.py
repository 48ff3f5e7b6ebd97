"""What the notifications API and pages read: marshmallow input schemas that list their fields.

What the API answers is in `outputs.py`.
"""

from __future__ import annotations

from marshmallow import EXCLUDE, Schema, fields, pre_load, validate

#: the most a host may write in one part of the joining information
ANNOUNCEMENT_LIMIT = 4000


class MessagesQuery(Schema):
    """`GET /notifications/api/messages?to=<email>`: one recipient's whole address."""

    class Meta:
        unknown = EXCLUDE  # other query parameters are ignored, as they always were

    to = fields.Str(required=True, validate=validate.Length(min=1, error="Missing data for required field."))

    @pre_load
    def strip(self, data, **kwargs):
        return {**data, "to": data["to"].strip()} if isinstance(data.get("to"), str) else data


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
