"""Who may publish each event type: the service that owns its routing key's first word.

A consumer asks this of every event before handling it, with the message's AMQP `user_id` as the
publisher. RabbitMQ refuses a `user_id` that is not the user of the publishing connection, and each
service connects as its own user (shared/bus_users.py), so `user_id` cannot be forged; the embedded
bus stamps the publishing service's name the same way. Without this, any service could publish
`registration.programme.updated` with an end in the past and every retention job would erase
everyone.

The few types whose first word is not a service say who may publish them here.
"""

from __future__ import annotations

import re

from ..config import SERVICES
from .types import ACCESS_ANSWERED, ACCESS_REQUESTED, ERASURE_COMPLETED, ERASURE_REQUESTED, PING

#: types whose first word is not a service, and who may publish them
_SHARED_WORDS = {
    ACCESS_REQUESTED: ("registration",),
    ERASURE_REQUESTED: ("registration",),
    # every service answers, each for itself: checked against the answer's `service` below
    ACCESS_ANSWERED: SERVICES,
    ERASURE_COMPLETED: SERVICES,
}

#: what anyone may publish: a ping is recorded in an inbox and changes nothing
_ANYONE = (PING,)

#: types whose data names the service it speaks for, which must be the publisher
_SPEAKS_FOR_ITSELF = (ACCESS_ANSWERED, ERASURE_COMPLETED)


def owners(event_type: str) -> tuple[str, ...]:
    """The services that may publish `event_type` (none for an unclaimed first word)."""
    if event_type in _SHARED_WORDS:
        return _SHARED_WORDS[event_type]
    word = event_type.split(".", 1)[0]
    return (word,) if word in SERVICES else ()


def refusal(publisher: str | None, event_type: str, data: dict) -> str | None:
    """Why an event from `publisher` must not be handled, or None when it may be.

    The reason names the type and the publisher only, never the data, so it can be logged."""
    if event_type in _ANYONE:
        return None
    allowed = owners(event_type)
    who = f"{publisher!r}" if publisher else "nobody"
    if publisher not in allowed:
        return f"refused: {event_type} was published by {who}, not by its owner {' or '.join(allowed) or 'nobody'}"
    if event_type in _SPEAKS_FOR_ITSELF and data.get("service") != publisher:
        return f"refused: {event_type} was published by {who} for another service"
    return None


def routing_keys_of(service: str) -> str:
    """A regular expression of every routing key `service` may publish: what RabbitMQ's topic
    permission on the events exchange lets its user write (shared/bus_users.py)."""
    shared = [event_type for event_type, allowed in _SHARED_WORDS.items() if service in allowed]
    return "^(" + "|".join([rf"{re.escape(service)}\..+", *map(re.escape, (*shared, *_ANYONE))]) + ")$"
