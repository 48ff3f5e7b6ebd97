"""Input of the registration API (and the staff forms): marshmallow schemas that list their fields.

Every message names what to do, GOV.UK style, and the error handler reports it under the field's
path (`applicant.email`, `exchange_ids`). An undeclared field is refused (marshmallow's RAISE).
"""

from __future__ import annotations

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, post_load, pre_load, validate

from shared.manage_tokens import MAX_TOKEN_LENGTH
from shared.privacy import ACCESS, ERASURE

from .operations.allocation import LINE_MANAGER_ANSWERS, MAX_SELECTIONS

LANGUAGES = ("en", "cy")
PARTICIPANT_TYPES = ("occupation", "experience", "both")
STAGES = ("orientation", "exchange", "reflection")
STATUSES = ("open", "full", "closed")
AWARE = {key: _l("Enter a date and time with its offset, like 2026-03-10T10:00:00+00:00.")
         for key in ("invalid", "invalid_awareness", "null")}


class Text(fields.Str):
    """A string with surrounding spaces removed; blank counts as missing when required."""

    def __init__(self, *, max_length: int, required_message: str | None = None, **kwargs):
        if required_message:
            kwargs["required"] = True
            kwargs.setdefault("error_messages", {}).update({"required": required_message, "null": required_message})
        super().__init__(validate=validate.Length(max=max_length, error=_l("Enter %(n)d characters or fewer.", n=max_length)),
                         **kwargs)
        self.required_message = required_message

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs).strip()
        if not text and self.required_message:
            raise ValidationError(str(self.required_message))
        return text


class WelshText(Text):
    """An optional Welsh version of a text (`title_cy`, ...): blank or null means there is none."""

    def __init__(self, *, max_length: int, **kwargs):
        super().__init__(max_length=max_length, load_default=None, allow_none=True, **kwargs)

    def deserialize(self, value, attr=None, data=None, **kwargs):
        return super().deserialize(value, attr, data, **kwargs) or None


def _must_be_true(message: str):
    def check(value):
        if value is not True:
            raise ValidationError(str(message))
    return check


def _selection(ids: list[int]) -> None:
    if not ids:
        raise ValidationError(gettext("Choose at least one exchange."))
    if len(ids) > MAX_SELECTIONS:
        raise ValidationError(gettext("Choose %(n)d exchanges or fewer.", n=MAX_SELECTIONS))
    repeated = sorted({i for i in ids if ids.count(i) > 1})
    if repeated:
        raise ValidationError(gettext("Exchange %(ids)s is chosen more than once.", ids=", ".join(map(str, repeated))))


def _choice(options, message):
    return validate.OneOf(options, error=message)


def _email_address(value: str) -> None:
    try:
        validate.Email()(value)
    except ValidationError:
        raise ValidationError(gettext("Enter an email address in the correct format, like name@example.org.")) from None


def _web_address(value: str) -> None:
    try:
        validate.URL(schemes={"https", "http"})(value)
    except ValidationError:
        raise ValidationError(gettext("Enter a web address starting https://")) from None


class EmailField(fields.Str):
    """An email address, spaces trimmed; its messages are translated when raised."""

    def __init__(self, **kwargs):
        super().__init__(validate=[validate.Length(max=320, error=_l("Enter 320 characters or fewer.")),
                                   _email_address],
                         error_messages={"required": _l("Enter an email address."),
                                         "null": _l("Enter an email address.")}, **kwargs)

    def _deserialize(self, value, attr, data, **kwargs):
        return super()._deserialize(value, attr, data, **kwargs).strip()


class ApplicantInput(Schema):
    name = Text(max_length=200, required_message=_l("Enter your full name."))
    email = EmailField(required=True)
    organisation = Text(max_length=300, load_default="")
    role = Text(max_length=300, load_default="")
    participant_type = fields.Str(required=True, validate=_choice(
        PARTICIPANT_TYPES, _l("Choose expert by occupation, expert by experience, or both.")),
        error_messages={"required": _l("Say how you take part: as an expert by occupation, by experience, or both.")})
    stakeholder_group = Text(max_length=120, load_default="")
    language = fields.Str(load_default="en", validate=_choice(LANGUAGES, _l("Choose English (en) or Cymraeg (cy).")))
    access_needs = Text(max_length=2000, load_default="")


class ApplicationInput(Schema):
    """`POST /applications`."""

    applicant = fields.Nested(ApplicantInput, required=True,
                              error_messages={"required": _l("Tell us about yourself.")})
    exchange_ids = fields.List(
        fields.Int(strict=True, validate=validate.Range(min=1, error=_l("Exchange ids are whole numbers from 1.")),
                   error_messages={"invalid": _l("Exchange ids are whole numbers.")}),
        required=True, validate=_selection,
        error_messages={"required": _l("Choose at least one exchange."), "invalid": _l("Give the exchanges as a list of ids.")})
    line_manager_permission = fields.Str(required=True, validate=_choice(
        LINE_MANAGER_ANSWERS,
        _l("Say whether your line manager has given permission (yes, or no_line_manager if you do not have one).")),
        error_messages={"required": _l("Say whether your line manager has given permission.")})
    will_attend_sessions = fields.Bool(required=True, validate=_must_be_true(
        _l("You must be able to attend, or watch the recording of, the orientation and reflection sessions.")),
        error_messages={"required": _l("Confirm that you can attend the orientation and reflection sessions.")})
    privacy_notice_accepted = fields.Bool(required=True, validate=_must_be_true(
        _l("Accept the privacy notice to apply.")),
        error_messages={"required": _l("Accept the privacy notice to apply.")})
    #: kx addition: the person's manage token, to add these bookings to their one link and manage page
    manage_token = fields.Str(load_default=None, validate=validate.Length(max=MAX_TOKEN_LENGTH))


class _Host(Schema):
    name = Text(max_length=300, required_message=_l("Enter the host organisation's name."))
    #: the staff accounts that host it (never shown publicly)
    accounts = fields.List(EmailField(), load_default=None)


class _Location(Schema):
    site = Text(max_length=300, required_message=_l("Enter the site."))
    town = Text(max_length=120, required_message=_l("Enter the town."))
    site_cy = WelshText(max_length=300)


class _Session(Schema):
    starts_at = fields.AwareDateTime(required=True, format="iso", error_messages=AWARE)
    url = fields.Str(load_default=None, allow_none=True, validate=_web_address)


class _Reserved(Schema):
    experience = fields.Int(strict=True, load_default=0, validate=validate.Range(min=0))
    occupation = fields.Int(strict=True, load_default=0, validate=validate.Range(min=0))
    until = fields.AwareDateTime(format="iso", load_default=None, allow_none=True, error_messages=AWARE)


class ExchangeInput(Schema):
    """`POST /exchanges` (all required fields) and `PATCH /exchanges/<id>` (`partial=True`).

    The computed fields of the exchange as shown (`id`, `places_left`, `waitlist_length`,
    `status`) are accepted and ignored, so a client may send back what it read."""

    title = Text(max_length=300, required_message=_l("Enter a title."))
    #: the Welsh versions (CONTRACT.md "Content in Welsh and English"): optional, null when absent
    title_cy = WelshText(max_length=300)
    theme = fields.Str(required=True, error_messages={"required": _l("Choose a theme.")})
    subtheme = fields.Str(load_default=None, allow_none=True)
    host = fields.Nested(_Host, required=True)
    location = fields.Nested(_Location, required=True)
    starts_at = fields.AwareDateTime(required=True, format="iso", error_messages=AWARE)
    ends_at = fields.AwareDateTime(required=True, format="iso", error_messages=AWARE)
    capacity = fields.Int(strict=True, required=True, validate=validate.Range(
        min=1, max=10000, error=_l("Enter a number of places from 1 to 10,000.")),
        error_messages={"required": _l("Enter the number of places."), "null": _l("Enter the number of places.")})
    booking_closes_at = fields.AwareDateTime(required=True, format="iso", error_messages=AWARE)
    description = Text(max_length=10000, load_default="")
    learning_outcomes = fields.List(Text(max_length=500), load_default=list)
    description_cy = WelshText(max_length=10000)
    learning_outcomes_cy = fields.List(Text(max_length=500), load_default=None, allow_none=True)
    orientation = fields.Nested(_Session, load_default=None, allow_none=True)
    reflection = fields.Nested(_Session, load_default=None, allow_none=True)
    #: kx additions
    time_commitment = Text(max_length=300, load_default="")
    time_commitment_cy = WelshText(max_length=300)
    reserved_places = fields.Nested(_Reserved, load_default=None, allow_none=True)
    closed = fields.Bool()  # absent leaves it as it is (a new exchange starts open)
    #: `true` saves a new exchange as a draft (absent or `false`: published at once, as before);
    #: on PATCH only its current value is accepted (a draft is published by `POST .../publish`)
    draft = fields.Bool(truthy={True}, falsy={False}, error_messages={"invalid": _l("Say true or false.")})
    #: computed: accepted and ignored
    id = fields.Raw(load_default=None)
    places_left = fields.Raw(load_default=None)
    waitlist_length = fields.Raw(load_default=None)
    status = fields.Raw(load_default=None)

    @post_load
    def _drop_computed(self, data, **_kwargs):
        for name in ("id", "places_left", "waitlist_length", "status"):
            data.pop(name, None)
        return data


class SubthemeInput(Schema):
    code = fields.Str(required=True, validate=validate.Regexp(r"^[A-Za-z0-9.\-]{1,20}$", error=(
        _l("Use up to 20 letters, digits, dots or dashes, like T1.1."))))
    title = Text(max_length=300, required_message=_l("Enter the sub-theme's title."))
    title_cy = WelshText(max_length=300)


class ThemeInput(Schema):
    """`POST /themes` and `PATCH /themes/<code>` (`partial=True`)."""

    code = fields.Str(required=True, validate=validate.Regexp(r"^[A-Za-z0-9\-]{1,20}$", error=(
        _l("Use up to 20 letters, digits or dashes, like T4."))))
    title = Text(max_length=300, required_message=_l("Enter the theme's title."))
    title_cy = WelshText(max_length=300)
    subthemes = fields.List(fields.Nested(SubthemeInput), load_default=None)


class AttendanceInput(Schema):
    """`POST /exchanges/<id>/attendance`."""

    email = EmailField(required=True)
    stage = fields.Str(required=True, validate=_choice(STAGES, _l("Choose orientation, exchange or reflection.")))
    attended = fields.Bool(required=True, truthy={True}, falsy={False},
                           error_messages={"invalid": _l("Say true or false.")})


class TokenInput(Schema):
    """`POST /auth/token`."""

    email = fields.Str(required=True, validate=validate.Length(max=320))
    password = fields.Str(required=True, validate=validate.Length(max=1000))
    #: the second factor: a TOTP code or a recovery code, for accounts that have it on
    code = fields.Str(load_default=None, validate=validate.Length(max=40))


class ExchangeQuery(Schema):
    """`GET /exchanges` filters."""

    theme = fields.Str(load_default=None)
    date = fields.Date(load_default=None, error_messages={"invalid": _l("Enter a date like 2026-03-10.")})
    status = fields.Str(load_default=None, validate=_choice(STATUSES, _l("Choose open, full or closed.")))
    town = fields.Str(load_default=None)


class BookingsQuery(Schema):
    """`GET /bookings` and the programme team's bookings page: search, filters and paging. A filter
    left empty (`?status=`, as a form sends it) narrows nothing."""

    @pre_load
    def _drop_empty(self, data, **_kwargs):
        return {key: value for key, value in data.items() if value != ""} if isinstance(data, dict) else data

    q = fields.Str(load_default="", validate=validate.Length(max=200, error=_l("Enter 200 characters or fewer.")),
                   metadata={"description": "Part of a name, email address or organisation."})
    exchange = fields.Int(load_default=None, strict=False, validate=validate.Range(min=1),
                          error_messages={"invalid": _l("Choose an exchange from the list.")},
                          metadata={"description": "An exchange number."})
    status = fields.Str(load_default=None, validate=_choice(
        ("confirmed", "waitlisted", "cancelled"), _l("Choose confirmed, waitlisted or cancelled.")))
    participant_type = fields.Str(load_default=None, validate=_choice(
        PARTICIPANT_TYPES, _l("Choose occupation, experience or both.")))
    stakeholder_group = fields.Str(load_default=None, validate=validate.Length(max=120))
    page = fields.Int(load_default=1, validate=validate.Range(min=1, error=_l("Enter a page number of 1 or more.")),
                      error_messages={"invalid": _l("Enter a page number of 1 or more.")})
    per_page = fields.Int(load_default=50, validate=validate.Range(
        min=1, max=200, error=_l("Enter a number of rows per page from 1 to 200.")),
        error_messages={"invalid": _l("Enter a number of rows per page from 1 to 200.")})


class StaffCancelInput(Schema):
    """`POST /bookings/<id>/cancel` and its page: why the programme team cancels for the person."""

    #: its length and blankness are checked by `operations.staff_bookings`, for the pages too
    reason = fields.Str(required=True, error_messages={"required": _l(
        "Enter the reason, as the person gave it or as you will tell them.")})


class StaffMoveInput(StaffCancelInput):
    """`POST /bookings/<id>/move` and its page: where to, and why."""

    exchange_id = fields.Int(required=True, strict=True, error_messages={
        "required": _l("Choose an exchange from the list."), "invalid": _l("Choose an exchange from the list.")})


class LinkRequestInput(Schema):
    """`POST /applications/link` and the "Lost your link?" page: the email the link should go to."""

    email = EmailField(required=True)


class PrivacyRequestInput(Schema):
    """`POST /privacy/requests` and the staff page's privacy request form."""

    email = EmailField(required=True)
    kind = fields.Str(required=True, validate=validate.OneOf(
        (ACCESS, ERASURE), error=_l("Choose access (a copy of their data) or erasure.")),
        error_messages={"required": _l("Choose access (a copy of their data) or erasure.")})


STAFF_ROLES = ("admin", "host", "theme_lead", "finance")


class StaffInput(Schema):
    """`POST /staff` (an invitation) and `PATCH /staff/<id>` (`partial=True`, with `active`)."""

    email = EmailField(required=True)
    name = Text(max_length=200, required_message=_l("Enter their full name."))
    roles = fields.List(fields.Str(validate=_choice(STAFF_ROLES, _l("Choose admin, host, theme_lead or finance."))),
                        required=True, validate=validate.Length(min=1, max=len(STAFF_ROLES),
                                                                error=_l("Choose at least one role.")),
                        error_messages={"required": _l("Choose at least one role.")})
    #: the exchanges a host hosts
    exchanges = fields.List(fields.Int(strict=True, validate=validate.Range(min=1)), load_default=list)
    #: the themes a theme lead leads
    themes = fields.List(fields.Str(validate=validate.Length(max=20)), load_default=list)
    language = fields.Str(load_default="en", validate=_choice(LANGUAGES, _l("Choose English (en) or Cymraeg (cy).")))


class StaffChangeInput(Schema):
    """`PATCH /staff/<id>`: any of these; what is absent stays."""

    name = fields.Str(validate=validate.Length(min=1, max=200, error=_l("Enter their full name (200 characters or fewer).")))
    roles = fields.List(fields.Str(validate=_choice(STAFF_ROLES, _l("Choose admin, host, theme_lead or finance."))),
                        validate=validate.Length(min=1, max=len(STAFF_ROLES), error=_l("Choose at least one role.")))
    exchanges = fields.List(fields.Int(strict=True, validate=validate.Range(min=1)))
    themes = fields.List(fields.Str(validate=validate.Length(max=20)))
    language = fields.Str(validate=_choice(LANGUAGES, _l("Choose English (en) or Cymraeg (cy).")))
    active = fields.Bool(truthy={True}, falsy={False}, error_messages={"invalid": _l("Say true or false.")})


class SetPasswordInput(Schema):
    """`POST /auth/password`: a set-password link's token and the new password."""

    token = fields.Str(required=True, validate=validate.Length(max=200))
    password = fields.Str(required=True, validate=validate.Length(max=1000),
                          error_messages={"required": _l("Enter a password.")})


class PasswordResetInput(Schema):
    """`POST /auth/password-reset`."""

    email = fields.Str(required=True, validate=validate.Length(max=320),
                       error_messages={"required": _l("Enter your email address.")})
