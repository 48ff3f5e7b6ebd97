"""Web forms to API-shaped input and back: GOV.UK date fields, pounds as typed, errors by field."""

from __future__ import annotations

from datetime import date
from functools import partial

from flask_babel import gettext as _
from marshmallow import ValidationError

from shared.errors import ApiError
from shared.forms import errors_by_field

from ..operations.pricing import pence_of

#: API field -> the form field it is shown beside
FORM_FIELDS = {"amount_pence": "amount", "receipt_id": "receipt", "lost_receipt_declaration": "lost_receipt",
               "from_": "from", "item_ids": "lines"}


def date_from(form, prefix: str = "date") -> tuple[date | None, str | None]:
    parts = [form.get(f"{prefix}-{p}", "").strip() for p in ("day", "month", "year")]
    if not any(parts):
        return None, _("Enter the date, for example 27 3 2025.")
    try:
        day, month, year = (int(p) for p in parts)
        return date(year, month, day), None
    except ValueError:
        return None, _("The date must be a real date, for example 27 3 2025.")


def pence_from(text: str) -> tuple[int | None, str | None]:
    if not (text or "").strip():
        return None, _("Enter the amount in pounds and pence, for example 12.50.")
    pence = pence_of(text)
    if pence is None:
        return None, _("Enter the amount in pounds and pence, for example 12.50.")
    return pence, None


def by_field(refusal: ValidationError | ApiError, index: int | None = None,
             message_field: str = "_schema") -> dict[str, str]:
    """The first message of each field, keyed by the form's field name (`items.3.miles` → `miles`);
    with `index`, only the problems of that line of the claim."""
    return errors_by_field(refusal, partial(_form_field, index=index), message_field)


def _form_field(path: str, index: int | None) -> str | None:
    parts = path.split(".")
    if parts[0] == "items" and len(parts) > 2:
        if index is not None and parts[1] != str(index):
            return None
        parts = parts[2:]
    elif parts[0] == "bank" and len(parts) > 1:
        parts = parts[1:]
    return FORM_FIELDS.get(parts[0], parts[0])
