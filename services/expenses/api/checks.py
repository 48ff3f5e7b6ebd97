"""What a finance view checks before the request is read.

`@api.arguments` loads the body before the view runs; a caller who is not finance must learn 401
or 403 (tests/test_authorisation_matrix.py), never what the body lacks. Put `@finance_first`
between `@api.response` and `@api.arguments`; the view calls `finance()` again for the staff
member (the token is read once per request).
"""

from __future__ import annotations

import functools

from ..operations.access import finance


def finance_first(view):
    @functools.wraps(view)
    def check_then_call(*args, **kwargs):
        finance()
        return view(*args, **kwargs)

    return check_then_call
