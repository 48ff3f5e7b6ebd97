"""The CloudEvents 1.0 JSON envelope every message on the bus travels in."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from functools import cache

from marshmallow import EXCLUDE, RAISE, Schema, ValidationError, fields, validate

from ..times import iso
from .schemas import EVENT_SCHEMAS


class UnknownEventType(Exception):
    """No schema is known for this type: consumers log it and ack."""


class InvalidEvent(Exception):
    """The envelope or its data fails its schema: consumers dead-letter it.

    The message names fields only, never their values, so it can be logged.
    """

    def __init__(self, event_type: str, errors: dict):
        self.event_type = event_type
        self.fields = sorted(_paths(errors))
        super().__init__(f"{event_type}: invalid field(s) {', '.join(self.fields)}")


class EnvelopeSchema(Schema):
    class Meta:
        unknown = EXCLUDE

    specversion = fields.Str(required=True, validate=validate.Equal("1.0"))
    id = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    source = fields.Str(required=True)
    type = fields.Str(required=True)
    time = fields.Str(required=True)
    datacontenttype = fields.Str(load_default="application/json")
    data = fields.Dict(required=True)


def validate_data(event_type: str, data: dict) -> None:
    """Check a producer's data strictly: an undeclared or missing field is a bug at the source."""
    errors = _schema(event_type, RAISE).validate(data)
    if errors:
        raise InvalidEvent(event_type, errors)


def make_envelope(source: str, event_type: str, data: dict) -> dict:
    validate_data(event_type, data)
    return {
        "specversion": "1.0",
        "id": str(uuid.uuid4()),
        "source": f"/{source}",
        "type": event_type,
        "time": iso(datetime.now(UTC)),
        "datacontenttype": "application/json",
        "data": data,
    }


def parse(body: bytes | str) -> tuple[dict, dict]:
    """Envelope and loaded data from a message body; raises UnknownEventType or InvalidEvent."""
    try:
        raw = json.loads(body)
        envelope = _ENVELOPE.load(raw)
    except (ValueError, TypeError):
        raise InvalidEvent("unparseable", {"body": ["not JSON"]}) from None
    except ValidationError as error:
        raise InvalidEvent("envelope", error.messages) from None
    schema = _schema(envelope["type"], EXCLUDE)
    try:
        data = schema.load(envelope["data"])
    except ValidationError as error:
        raise InvalidEvent(envelope["type"], error.messages) from None
    return envelope, data


_ENVELOPE = EnvelopeSchema()


@cache
def _schema(event_type: str, unknown: str) -> Schema:
    """One instance per event type and policy, made once: building a schema costs more than
    using it, and marshmallow schemas hold no state between loads, so threads may share them."""
    try:
        return EVENT_SCHEMAS[event_type](unknown=unknown)
    except KeyError:
        raise UnknownEventType(event_type) from None


def _paths(errors, prefix=""):
    if isinstance(errors, dict):
        for key, value in errors.items():
            yield from _paths(value, f"{prefix}{key}.")
    else:
        yield prefix.rstrip(".")
