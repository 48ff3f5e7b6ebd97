"""Events on the bus: the envelope and the schema of each type's data."""

from .envelope import InvalidEvent, UnknownEventType, make_envelope, parse, validate_data
from .schemas import EVENT_SCHEMAS

__all__ = ["EVENT_SCHEMAS", "InvalidEvent", "UnknownEventType", "make_envelope", "parse", "validate_data"]
