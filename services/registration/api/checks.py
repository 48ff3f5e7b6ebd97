"""What a view checks before the request is read.

`@api.arguments` loads the body before the view runs; a caller who may not call it must learn 401
or 403 (tests/test_authorisation_matrix.py), and one who sends too much must learn 429, never what
the request lacks. Put `@authorised_first(...)` or `@first(...)` between `@api.response` and
`@api.arguments`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from shared.auth import authorise


def first(check: Callable[..., object]):
    """`check(**path values)` before the arguments are loaded."""

    def decorate(view):
        @functools.wraps(view)
        def check_then_call(*args, **kwargs):
            check(**kwargs)
            return view(*args, **kwargs)

        return check_then_call

    return decorate


def authorised_first(grant: Callable[..., object]):
    """`authorise(grant(**path values))` before the arguments are loaded; the view may call
    `authorise` again for the staff member (it is read once per request)."""
    return first(lambda **path: authorise(grant(**path)))


def admin(**_path) -> str:
    return "admin"


def host_of(exchange_id: int, **_path) -> tuple[str, int]:
    return ("host", exchange_id)
