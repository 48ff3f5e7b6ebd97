"""Input of the expenses API: marshmallow schemas that list their fields.

These check shape (types, lengths, one of); rules that need the database (the exchange's dates,
whose receipt it is, caps, the mileage band) are checked in `operations/items.py`, with the same error format.
"""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import EXCLUDE, Schema, ValidationError, fields, validate, validates_schema
from marshmallow.validate import Length, OneOf, Range

from shared.db import MAX_ID
from shared.manage_tokens import MAX_TOKEN_LENGTH

from .models.claim_item import ITEM_TYPES
from .operations.pricing import tenths_of
from .operations.rates import VEHICLES

TEXT_CHARS = 500
REASON_CHARS = 2000
PLACE_CHARS = 200
MAX_ITEMS = 60
class DatabaseId(fields.Int):
    """An id of a row as a JSON integer: one the id columns can hold, so a longer one is a 422 naming
    the field instead of an overflow in the database driver."""

    def __init__(self, **kwargs):
        super().__init__(strict=True, validate=Range(1, MAX_ID), **kwargs)


class Miles(fields.Field):
    """Miles as a number or text with at most one decimal place, loaded as tenths of a mile."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool):
            raise ValidationError(_("Enter the distance in miles, like 12 or 12.5."))
        tenths = tenths_of(value)
        if tenths is None:
            raise ValidationError(_("Enter the distance in miles, like 12 or 12.5 (at most one decimal place)."))
        return tenths


class ItemInput(Schema):
    type = fields.Str(required=True, validate=OneOf(ITEM_TYPES))
    date = fields.Date(required=True)
    # mileage
    from_ = fields.Str(data_key="from", validate=Length(max=PLACE_CHARS), load_default=None)
    to = fields.Str(validate=Length(max=PLACE_CHARS), load_default=None)
    miles = Miles(load_default=None)
    vehicle = fields.Str(validate=OneOf(VEHICLES), load_default=None)
    passengers = fields.Int(strict=True, validate=Range(0, 8), load_default=0)
    #: kx addition: the claimant confirms a journey over the confirmation limit (1,000 miles)
    confirm_long_journey = fields.Bool(load_default=False)
    # costs
    description = fields.Str(validate=Length(max=TEXT_CHARS), load_default="")
    amount_pence = fields.Int(strict=True, load_default=None)
    receipt_id = DatabaseId(load_default=None, allow_none=True)
    lost_receipt_declaration = fields.Str(validate=Length(max=REASON_CHARS), load_default=None, allow_none=True)
    #: kx addition: why an item is over its cap (required when it is)
    over_cap_reason = fields.Str(validate=Length(max=REASON_CHARS), load_default=None, allow_none=True)
    #: kx addition: accommodation only, the nights the amount covers (default 1)
    nights = fields.Int(strict=True, validate=Range(1, 30), load_default=None, allow_none=True)

    @validates_schema(skip_on_field_errors=False)  # every missing field is named at once
    def _by_type(self, data, **_kwargs):
        errors: dict[str, list[str]] = {}
        if data.get("type") not in ITEM_TYPES:
            return
        if data["type"] == "mileage":
            for name, key, message in (("from_", "from", "Enter where the journey started."),
                                       ("to", "to", "Enter where the journey ended."),
                                       ("miles", "miles", "Enter the distance in miles."),
                                       ("vehicle", "vehicle", "Choose car, motorcycle or bicycle.")):
                value = data.get(name)
                if value is None or (isinstance(value, str) and not value.strip()):
                    errors[key] = [message]
            if data.get("passengers") and data.get("vehicle") in ("motorcycle", "bicycle"):
                errors["passengers"] = ["Passengers can be claimed only for a car or van."]
        else:
            if not (data.get("description") or "").strip():
                errors["description"] = ["Describe the cost, for example 'Train, Cardiff to Aberystwyth'."]
            if data.get("amount_pence") is None:
                errors["amount_pence"] = ["Enter the amount."]
            lost = (data.get("lost_receipt_declaration") or "").strip()
            if data.get("receipt_id") is None and not lost:
                errors["receipt_id"] = ["Add a receipt, or tell us why you do not have one."]
            if data.get("nights") is not None and data["type"] != "accommodation":
                errors["nights"] = ["Nights are given only for accommodation."]
        if errors:
            raise ValidationError(errors)


class BankInput(Schema):
    account_name = fields.Str(required=True, validate=Length(min=1, max=70))
    sort_code = fields.Str(required=True, validate=Length(max=20))
    account_number = fields.Str(required=True, validate=Length(max=20))


class ClaimInput(Schema):
    manage_token = fields.Str(required=True, validate=Length(min=1, max=MAX_TOKEN_LENGTH))
    exchange_id = DatabaseId(required=True)
    items = fields.List(fields.Nested(ItemInput), required=True, validate=Length(min=1, max=MAX_ITEMS))
    bank = fields.Nested(BankInput, required=True)
    #: kx addition: the declaration that the costs are true and not claimed elsewhere (the API
    #: takes the request itself as the declaration when absent)
    declaration = fields.Bool(load_default=True, validate=validate.Equal(True, error=_l("You must confirm the declaration.")))


class AmendInput(Schema):
    """`PUT /claims/<id>`: the claimant's amended claim (and their answer to a query)."""

    manage_token = fields.Str(required=True, validate=Length(min=1, max=MAX_TOKEN_LENGTH))
    items = fields.List(fields.Nested(ItemInput), required=True, validate=Length(min=1, max=MAX_ITEMS))
    #: absent keeps the bank details already given
    bank = fields.Nested(BankInput, load_default=None, allow_none=True)
    answer = fields.Str(validate=Length(max=REASON_CHARS), load_default=None, allow_none=True)
    declaration = fields.Bool(load_default=True, validate=validate.Equal(True, error=_l("You must confirm the declaration.")))


class TokenInput(Schema):
    manage_token = fields.Str(required=True, validate=Length(min=1, max=MAX_TOKEN_LENGTH))


class ReasonInput(Schema):
    reason = fields.Str(required=True, validate=Length(min=1, max=REASON_CHARS))


class QuestionInput(Schema):
    question = fields.Str(required=True, validate=Length(min=1, max=REASON_CHARS))


class ApproveInput(Schema):
    #: kx addition: approve only these lines (item ids); absent approves every line
    item_ids = fields.List(DatabaseId(), load_default=None, allow_none=True, validate=Length(max=MAX_ITEMS))
    #: required when some lines are not approved: why (the claimant is told)
    note = fields.Str(validate=Length(max=REASON_CHARS), load_default=None, allow_none=True)


class RunInput(Schema):
    #: kx addition: gather only these approved claims; absent gathers every approved claim
    claim_ids = fields.List(DatabaseId(), load_default=None, allow_none=True, validate=Length(max=50000))


class ManageTokenQuery(Schema):
    """`?manage_token=`: a claimant's own view; without it, finance's (other parameters are ignored)."""

    class Meta:
        unknown = EXCLUDE

    manage_token = fields.Str()


class ReceiptForm(Schema):
    """The upload's text field; the file itself is `file`. Without a token the answer is 404, as for
    an unknown one."""

    class Meta:
        unknown = EXCLUDE

    manage_token = fields.Str(load_default=None)


class QueueQuery(Schema):
    """The finance queue's filters as typed; `operations.queue.Filter` checks them (422 by field)."""

    class Meta:
        unknown = EXCLUDE

    status = fields.Str(metadata={"description": "Comma-separated statuses, or `all` (default: submitted)."})
    exchange = fields.Str(metadata={"description": "An exchange number."})
    exchange_id = fields.Str(metadata={"description": "The same as `exchange`."})
    theme = fields.Str()
    flag = fields.Str(metadata={"description": "A flag code, or `any`."})
    sort = fields.Str(metadata={"description": "submitted, total, id or status; `-` before it for descending."})
    page = fields.Str()
    per_page = fields.Str()
