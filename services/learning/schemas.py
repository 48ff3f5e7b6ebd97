"""What the learning API and its pages read: marshmallow schemas that list their fields.

The limits are stated once here; the forms quote the same numbers to the people typing.
"""

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    validate,
    validates_schema,
)

from shared.manage_tokens import MAX_TOKEN_LENGTH

#: limits on what a summary may hold (characters, items)
INSIGHT_CHARS = 1000
MAX_INSIGHTS = 20
TEXT_CHARS = 5000
OUTCOME_CHARS = 500
MAX_OUTCOMES = 30
CONTRIBUTOR_CHARS = 200
MAX_CONTRIBUTORS = 50
COMMENT_CHARS = 2000
REFLECTION_CHARS = 3000
CREDIT_CHARS = 200
#: the library's search words are cut to this many characters
LIBRARY_WORDS_CHARS = 200
ABOUT_PATTERN = r"^(exchange:[1-9][0-9]{0,9}|conference)$"


def _text(limit: int, **kwargs):
    return fields.Str(validate=validate.Length(max=limit), **kwargs)


def _items(limit_chars: int, limit_items: int):
    return fields.List(
        fields.Str(validate=validate.Length(max=limit_chars)),
        load_default=list,
        validate=validate.Length(max=limit_items),
    )


def _tidy_list(items: list[str]) -> list[str]:
    """Trimmed, blank lines dropped: what a form's textarea and a JSON list both mean."""
    return [item.strip() for item in items if item and item.strip()]


class SummaryInput(Schema):
    """`PUT /exchanges/<id>/summary`."""

    key_insights = _items(INSIGHT_CHARS, MAX_INSIGHTS)
    innovations = _text(TEXT_CHARS, load_default="")
    challenges = _text(TEXT_CHARS, load_default="")
    transferable_ideas = _text(TEXT_CHARS, load_default="")
    outcomes_met = _items(OUTCOME_CHARS, MAX_OUTCOMES)
    contributors = _items(CONTRIBUTOR_CHARS, MAX_CONTRIBUTORS)
    #: kx addition: the host agrees to publish the approved summary in the public library
    publish = fields.Bool(load_default=None, allow_none=True)

    @post_load
    def tidy(self, data, **_kwargs):
        for name in ("key_insights", "outcomes_met", "contributors"):
            data[name] = _tidy_list(data[name])
        for name in ("innovations", "challenges", "transferable_ideas"):
            data[name] = data[name].strip()
        return data


class ReviewInput(Schema):
    """`POST .../approve` (comment optional) and `.../return` (comment required)."""

    comment = _text(COMMENT_CHARS, load_default="")

    @post_load
    def tidy(self, data, **_kwargs):
        data["comment"] = data["comment"].strip()
        return data


class FeedbackInput(Schema):
    """`POST /feedback`."""

    manage_token = fields.Str(required=True, validate=validate.Length(min=1, max=MAX_TOKEN_LENGTH))
    about = fields.Str(required=True, validate=validate.Regexp(
        ABOUT_PATTERN, error=_l("Must be exchange:<id> or conference.")))
    would_recommend = fields.Bool(required=True)
    rating = fields.Int(required=True, strict=True, validate=validate.Range(
        min=1, max=5, error=_l("Must be a whole number from 1 to 5.")))
    comment = _text(COMMENT_CHARS, load_default="")


class ReflectionInput(Schema):
    """`PUT /reflections`: a participant's own reflection on an exchange (kx addition)."""

    manage_token = fields.Str(required=True, validate=validate.Length(min=1, max=MAX_TOKEN_LENGTH))
    exchange_id = fields.Int(required=True, strict=True)
    text = fields.Str(required=True, validate=validate.Length(min=1, max=REFLECTION_CHARS))
    credit_as = _text(CREDIT_CHARS, load_default="")

    @validates_schema
    def not_blank(self, data, **_kwargs):
        if not (data.get("text") or "").strip():
            raise ValidationError(_("Write your reflection."), "text")


class SignatureInput(Schema):
    """A participant's name on their exchange's summary, as they wish it shown (kx addition)."""

    name = fields.Str(required=True, validate=validate.Length(max=CREDIT_CHARS))

    @validates_schema
    def not_blank(self, data, **_kwargs):
        if not (data.get("name") or "").strip():
            raise ValidationError(_("Enter your name as you wish it shown."), "name")

    @post_load
    def tidy(self, data, **_kwargs):
        return {"name": " ".join(data["name"].split())}


class SettingsInput(Schema):
    """The programme team's figures."""

    impact_target = fields.Int(load_default=None, allow_none=True, strict=True,
                               validate=validate.Range(min=1, max=10_000_000))
    conference_attendees = fields.Int(load_default=None, allow_none=True, strict=True,
                                      validate=validate.Range(min=1, max=1_000_000))


class ThemeInput(Schema):
    """A theme's title, aim and who hears that its pack is ready."""

    title = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    aim = _text(TEXT_CHARS, load_default="")
    #: in Welsh, optional (blank is none)
    title_cy = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=300))
    aim_cy = _text(TEXT_CHARS, load_default=None, allow_none=True)
    notify_emails = fields.List(fields.Email(validate=validate.Length(max=254)), load_default=list,
                                validate=validate.Length(max=20))


class ActionInput(Schema):
    """One draft action of a theme's synthesis: what, and (when known) who and by when."""

    action = _text(INSIGHT_CHARS, load_default="")
    owner = _text(CREDIT_CHARS, load_default="")
    by_when = _text(CREDIT_CHARS, load_default="")

    @post_load
    def tidy(self, data, **_kwargs):
        return {name: data[name].strip() for name in ("action", "owner", "by_when")}


class SynthesisInput(Schema):
    """`PUT /themes/<code>/synthesis`: the theme lead's synthesis, saved as a new version; with
    `publish` true, that version goes into the theme's pack (kx addition, docs/learning.md)."""

    key_messages = _items(INSIGHT_CHARS, MAX_INSIGHTS)
    key_messages_cy = _items(INSIGHT_CHARS, MAX_INSIGHTS)
    workshop_questions = _items(INSIGHT_CHARS, MAX_INSIGHTS)
    workshop_questions_cy = _items(INSIGHT_CHARS, MAX_INSIGHTS)
    actions = fields.List(fields.Nested(ActionInput), load_default=list, validate=validate.Length(max=MAX_INSIGHTS))
    #: the Welsh of each action's text, in the same order
    actions_cy = _items(INSIGHT_CHARS, MAX_INSIGHTS)
    publish = fields.Bool(load_default=False)

    @validates_schema(skip_on_field_errors=False)
    def consistent(self, data, **_kwargs):
        """Every problem at once: an owner or date with no action, Welsh actions that do not
        match the English ones, publishing with no key message."""
        errors = {}
        actions = [item for item in data.get("actions") or [] if isinstance(item, dict)]
        if any(not item.get("action") and (item.get("owner") or item.get("by_when")) for item in actions):
            errors["actions"] = [_("Write what the action is before who does it and by when.")]
        welsh = _tidy_list(data.get("actions_cy") or [])
        if welsh and len(welsh) != len([item for item in actions if item.get("action")]):
            errors["actions_cy"] = [_("Give one Welsh action for each action, in the same order, or none.")]
        if data.get("publish") and not _tidy_list(data.get("key_messages") or []):
            errors["key_messages"] = [_("Write at least one key message before publishing.")]
        if errors:
            raise ValidationError(errors)

    @post_load
    def tidy(self, data, **_kwargs):
        for name in SYNTHESIS_LISTS:
            data[name] = _tidy_list(data[name])
        data["actions"] = [item for item in data["actions"] if item["action"]]
        return data


#: the synthesis's lists of lines (actions are items of their own)
SYNTHESIS_LISTS = ("key_messages", "key_messages_cy", "workshop_questions", "workshop_questions_cy", "actions_cy")


class PackQuery(Schema):
    """`GET .../pack.pdf?lang=`: the pack's language (English unless asked)."""

    class Meta:
        unknown = EXCLUDE

    lang = fields.Str(load_default="en", validate=validate.OneOf(("en", "cy"), error=_l("Must be en or cy.")))


class LibraryQuery(Schema):
    """`GET /library?theme=&q=`: a theme's code, and words the summary must hold (blank: any)."""

    class Meta:
        unknown = EXCLUDE

    theme = fields.Str(load_default=None)
    q = fields.Str(load_default="")

    @post_load
    def tidy(self, data, **_kwargs):
        data["theme"] = data["theme"] or None
        data["q"] = data["q"][:LIBRARY_WORDS_CHARS]
        return data
