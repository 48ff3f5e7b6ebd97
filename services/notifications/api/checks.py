"""Who may call a view, checked before the request is read.

`@api.arguments` loads the body or query string before the view runs; a caller who may not call
it must learn 401 or 403, never what the request lacks (tests/test_authorisation_matrix.py). Put
`@authorised_first(...)` between `@api.response` and `@api.arguments`.
"""

from __future__ import annotations

import functools
from collections.abc import Callable

from shared.auth import authorise


def authorised_first(grant: Callable[..., object]):
    """`authorise(grant(**path values))` before the arguments are loaded; the view may call
    `authorise` again for the staff member (it is read once per request)."""

    def decorate(view):
        @functools.wraps(view)
        def check_then_call(*args, **kwargs):
            authorise(grant(**kwargs))
            return view(*args, **kwargs)

        return check_then_call

    return decorate
