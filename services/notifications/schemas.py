"""What the notifications API and pages read: marshmallow input schemas that list their fields.

What the API answers is in `outputs.py`.
"""

from __future__ import annotations

from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates_schema,
)

from shared.i18n import N_

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


def _welsh():
    return fields.Str(load_default=None, allow_none=True, validate=validate.Length(
        max=ANNOUNCEMENT_LIMIT, error=f"Write at most {ANNOUNCEMENT_LIMIT} characters"))


class AnnouncementIn(Schema):
    """A host's joining information: every part is needed, in plain text; its Welsh (`<part>_cy`)
    is optional, blank or null when there is none."""

    contacts = _text("Enter who participants can contact")
    timings = _text("Enter the timings of the day")
    venue = _text("Enter where the venue is and how to get in")
    access = _text("Enter the venue's access information")
    contacts_cy = _welsh()
    timings_cy = _welsh()
    venue_cy = _welsh()
    access_cy = _welsh()

    @post_load
    def _blank_is_none(self, data, **_kwargs):
        return {name: (value.strip() or None) if name.endswith("_cy") and isinstance(value, str) else value
                for name, value in data.items()}


#: the most a subject may be (it is one header line) and a message's body
SUBJECT_LIMIT, MESSAGE_LIMIT = 150, 10000
AUDIENCE_KINDS = ("exchange_confirmed", "exchange_waiting", "theme", "programme")


class AudienceIn(Schema):
    """Who a message goes to: `kind`, with the exchange's `id` or the theme's `code` it needs."""

    kind = fields.Str(required=True, error_messages={"required": N_("Choose who to send the message to"),
                                                     "null": N_("Choose who to send the message to")},
                      validate=validate.OneOf(AUDIENCE_KINDS, error=N_("Choose who to send the message to")))
    id = fields.Int(load_default=None, allow_none=True, strict=True,
                    error_messages={"invalid": N_("Choose an exchange from the list")})
    code = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=40))

    @validates_schema
    def needs_its_exchange_or_theme(self, data, **kwargs):
        if data["kind"].startswith("exchange_") and data.get("id") is None:
            raise ValidationError(N_("Choose an exchange from the list"), "id")
        if data["kind"] == "theme" and not (data.get("code") or "").strip():
            raise ValidationError(N_("Choose a theme from the list"), "code")


def _written(missing: str, limit: int):
    return fields.Str(
        required=True, error_messages={"required": missing, "null": missing},
        validate=[validate.Length(min=1, error=missing),
                  validate.Length(max=limit, error=f"Write at most {limit} characters")])


class MessageToPeopleIn(Schema):
    """A message from the programme team, written in English and in Welsh: each person is sent it
    in the language they applied in, so both are needed."""

    audience = fields.Nested(AudienceIn, required=True,
                             error_messages={"required": N_("Choose who to send the message to")})
    subject = _written(N_("Enter a subject in English"), SUBJECT_LIMIT)
    subject_cy = _written(N_("Enter a subject in Welsh"), SUBJECT_LIMIT)
    body = _written(N_("Enter the message in English"), MESSAGE_LIMIT)
    body_cy = _written(N_("Enter the message in Welsh"), MESSAGE_LIMIT)

    @pre_load
    def strip(self, data, **kwargs):
        if not isinstance(data, dict):
            return data
        return {k: v.strip() if isinstance(v, str) else v for k, v in data.items()}
