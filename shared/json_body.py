"""Reading a JSON request body so that no body a client can send gives a 5xx.

Python's `json` recurses once per level of nesting, so a body of 30,000 `[` (60 KB) raises
RecursionError, which is no ValueError and escaped Flask's `get_json(silent=True)` as a 500; and
since Python 3.11 an integer of more than 4,300 digits is refused with a ValueError.

So a RecursionError is taken for what it is (the parser gives up after about a thousand levels,
in time linear in what it read), and the value's nesting is then measured, without recursion, and
one deeper than `MAX_DEPTH` refused. Each refusal is a 400 with the one error body, saying what
was wrong. `NaN`, `Infinity` and `1e400` (infinity) are read as the floats they are: every number
field refuses them (marshmallow: 422, naming the field), as every text field refuses a number.
"""

from __future__ import annotations

import json

from .errors import ApiError
from .i18n import _

#: deeper than any body of ours (the deepest, an application, is three levels)
MAX_DEPTH = 32


def read_json(raw: bytes):
    """The body's value; ApiError 400 when it is not JSON, too deep, or holds an integer too long."""
    try:
        value = json.loads(raw)
    except RecursionError:
        raise ApiError(400, _("The request body is nested too deeply."), code="bad_request") from None
    except (json.JSONDecodeError, UnicodeDecodeError):
        raise ApiError(400, _("The request could not be read. Check that the body is valid JSON."),
                       code="bad_request") from None
    except ValueError:  # the one other: an integer past sys.get_int_max_str_digits()
        raise ApiError(400, _("The request body holds a number with too many digits."), code="bad_request") from None
    if _too_deep(value):
        raise ApiError(400, _("The request body is nested too deeply."), code="bad_request")
    return value


def _too_deep(value) -> bool:
    """Whether arrays and objects nest deeper than MAX_DEPTH (a walk with a stack of its own)."""
    pending = [(value, 1)] if isinstance(value, (dict, list)) else []
    while pending:
        item, depth = pending.pop()
        if depth > MAX_DEPTH:
            return True
        children = item.values() if isinstance(item, dict) else item
        pending.extend((child, depth + 1) for child in children if isinstance(child, (dict, list)))
    return False

