"""Events on the bus: the envelope, the name of each type and the schema of its data."""

from . import types
from .envelope import InvalidEvent, UnknownEventType, make_envelope, parse, validate_data
from .schemas import EVENT_SCHEMAS, known_type
from .types import *  # noqa: F403 - every type's name (BOOKING_CONFIRMED...), written once, in types.py

__all__ = ["EVENT_SCHEMAS", "InvalidEvent", "UnknownEventType", "known_type", "make_envelope", "parse",
           "validate_data", *(name for name in vars(types) if name.isupper())]
