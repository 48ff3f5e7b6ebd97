"""Who may call an endpoint, checked before its body or query is read.

`shared.api.arguments` loads the input before the view runs; a view that checked the caller only
then would tell a stranger what was wrong with their body (422) before that they may not call it
(401, 403) or that the thing does not exist (404). `checked_first` puts the check first.
"""

from __future__ import annotations

import functools
from collections.abc import Callable


def checked_first(check: Callable[..., dict | None]):
    """Call `check(**path values)` before the decorators below it read any input. It raises the
    refusal, and returns the view's keyword arguments in place of the path values (None: keep them)."""

    def decorate(view):
        @functools.wraps(view)
        def check_then_call(*args, **kwargs):
            replaced = check(**kwargs)
            return view(*args, **(kwargs if replaced is None else replaced))

        return check_then_call

    return decorate
