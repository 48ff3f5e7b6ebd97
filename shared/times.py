"""How kx writes and reads a moment on the wire: ISO 8601 with its offset, always in UTC.

Every API answer and every event writes its times through `iso()`, so all four services answer
alike (`2025-03-10T09:30:00+00:00`) whatever zone a value was computed in; pages show the
programme's local time through `shared.i18n` instead. Incoming times may carry any offset.
"""

from __future__ import annotations

from datetime import UTC, datetime


def iso(moment: datetime | None) -> str | None:
    """`moment` in UTC as ISO 8601 with its offset (`+00:00`); None stays None.

    A naive datetime is refused rather than guessed at: stored times come back aware
    (`shared.db.UtcDateTime`), so a naive one here is a bug where it was made."""
    if moment is None:
        return None
    if moment.tzinfo is None:
        raise ValueError("a naive datetime has no offset to write: give it one")
    return moment.astimezone(UTC).isoformat()


def parse_iso(text: str) -> datetime:
    """An ISO 8601 moment with any offset (`Z` included), as an aware datetime; one without an
    offset is refused, since it could mean any of several instants."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError("a time without an offset is ambiguous")
    return moment
