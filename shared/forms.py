"""A refusal shown on an HTML form: the API's per-field messages, as each form's fields.

The pages call the same schemas and operations as the APIs, so what they are refused with is what
the API answers 422 with: a marshmallow `ValidationError` or an `ApiError` with `fields`. A page
shows the first message of each problem beside the field it belongs to; only which field that is
differs from form to form, so each form passes its own `field_of`.
"""

from __future__ import annotations

from collections.abc import Callable

from marshmallow import ValidationError

from .errors import ApiError, flatten_fields


def errors_by_field(refusal: ValidationError | ApiError, field_of: Callable[[str], str | None] = lambda path: path,
                message_field: str = "_schema") -> dict[str, str]:
    """`{form field: its first message}` for a refusal.

    A ValidationError's messages are flattened and translated as the API's body has them
    (`applicant.email`, `items.2.miles`); an ApiError brings its `fields`, or else its message,
    shown beside `message_field`. `field_of(path)` names the form field a path is shown beside,
    or None to leave that problem out (it belongs to another part of the page).
    """
    if isinstance(refusal, ValidationError):
        fields = flatten_fields(refusal.messages)
    else:
        fields = refusal.fields or {message_field: [refusal.message]}
    errors: dict[str, str] = {}
    for path, messages in fields.items():
        name = field_of(path)
        if name is not None:
            messages = messages if isinstance(messages, list) else [str(messages)]
            errors.setdefault(name, messages[0] if messages else "")
    return errors


def unindexed(path: str) -> str:
    """The path without list positions: `exchange_ids.2` is shown beside `exchange_ids`."""
    return ".".join(part for part in path.split(".") if not part.isdigit())
