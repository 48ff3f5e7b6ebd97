"""One marshmallow schema per event type: the `data` of every message on the bus.

Publisher and consumers share these. Producers are strict (an undeclared field is a bug);
consumers are tolerant readers (a field added by a newer producer is ignored). Adding a field is
fine; removing or renaming one needs a new event type.
"""

from marshmallow import Schema, fields, validate

from ..manage_tokens import well_formed
from ..roles import ROLES
from .types import (
    ACCESS_ANSWERED,
    ACCESS_REQUESTED,
    APPLICATION_SUBMITTED,
    ATTENDANCE_RECORDED,
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_PROMOTED,
    BOOKING_WAITLISTED,
    CLAIM_APPROVED,
    CLAIM_BANK_DETAILS_CHANGED,
    CLAIM_PAID,
    CLAIM_QUERIED,
    CLAIM_REJECTED,
    CLAIM_SUBMITTED,
    ERASURE_COMPLETED,
    ERASURE_REQUESTED,
    EXCHANGE_PUBLISHED,
    EXCHANGE_UPDATED,
    LINK_REPLACED,
    MESSAGE_FAILED,
    MESSAGE_SENT,
    PACK_GENERATED,
    PAYMENT_RUN_CREATED,
    PING,
    PROGRAMME_PUBLISHED,
    PROGRAMME_UPDATED,
    STAFF_INVITED,
    STAFF_RESET_REQUESTED,
    STAFF_UPDATED,
    SUMMARY_APPROVED,
    SUMMARY_RETURNED,
    SUMMARY_SUBMITTED,
)

LANGUAGES = ("en", "cy")
PARTICIPANT_TYPES = ("occupation", "experience", "both")
STAGES = ("orientation", "exchange", "reflection")


class _Session(Schema):
    starts_at = fields.AwareDateTime(required=True, format="iso")
    url = fields.Str(allow_none=True)


class _Host(Schema):
    name = fields.Str(required=True)
    #: kx addition, on `registration.exchange.*` only: the staff emails that host the exchange
    #: (never shown publicly); learning tells them when their summary is returned
    accounts = fields.List(fields.Email(), load_default=None, allow_none=True)


class _Location(Schema):
    site = fields.Str(required=True)
    #: kx addition: the Welsh versions of public texts (CONTRACT.md "Content in Welsh and English"),
    #: null when there is none
    site_cy = fields.Str(load_default=None, allow_none=True)
    town = fields.Str(required=True)


class ExchangeData(Schema):
    """The exchange as `GET /registration/api/exchanges/<id>` shows it."""

    id = fields.Int(required=True, strict=True)
    title = fields.Str(required=True)
    title_cy = fields.Str(load_default=None, allow_none=True)
    theme = fields.Str(required=True)
    subtheme = fields.Str(allow_none=True)
    host = fields.Nested(_Host, required=True)
    location = fields.Nested(_Location, required=True)
    starts_at = fields.AwareDateTime(required=True, format="iso")
    ends_at = fields.AwareDateTime(required=True, format="iso")
    capacity = fields.Int(required=True, strict=True)
    places_left = fields.Int(required=True, strict=True)
    waitlist_length = fields.Int(required=True, strict=True)
    booking_closes_at = fields.AwareDateTime(required=True, format="iso")
    status = fields.Str(required=True, validate=validate.OneOf(("open", "full", "closed")))
    description = fields.Str(load_default="")
    description_cy = fields.Str(load_default=None, allow_none=True)
    learning_outcomes = fields.List(fields.Str(), load_default=list)
    learning_outcomes_cy = fields.List(fields.Str(), load_default=None, allow_none=True)
    orientation = fields.Nested(_Session, allow_none=True)
    reflection = fields.Nested(_Session, allow_none=True)


class _Applicant(Schema):
    name = fields.Str(required=True)
    email = fields.Email(required=True)
    language = fields.Str(required=True, validate=validate.OneOf(LANGUAGES))
    participant_type = fields.Str(required=True, validate=validate.OneOf(PARTICIPANT_TYPES))
    #: kx addition: the group the applicant represents (lived experience, health, social care,
    #: Third Sector...), as given on the application; learning counts who took part by it
    stakeholder_group = fields.Str(load_default=None, allow_none=True)


class _ExchangeBrief(Schema):
    """What a message about a booking says of its exchange (kx addition to the contract)."""

    title = fields.Str(required=True)
    title_cy = fields.Str(load_default=None, allow_none=True)
    starts_at = fields.AwareDateTime(required=True, format="iso")
    ends_at = fields.AwareDateTime(required=True, format="iso")
    location = fields.Nested(_Location, required=True)
    host = fields.Nested(_Host, required=True)
    orientation = fields.Nested(_Session, allow_none=True)
    reflection = fields.Nested(_Session, allow_none=True)


class BookingData(Schema):
    booking_id = fields.Int(required=True, strict=True)
    exchange_id = fields.Int(required=True, strict=True)
    application_id = fields.Int(required=True, strict=True)
    applicant = fields.Nested(_Applicant, required=True)
    waitlist_position = fields.Int(allow_none=True, strict=True)
    #: kx addition: the exchange's title, times and place, so a message needs no lookup
    exchange = fields.Nested(_ExchangeBrief, load_default=None, allow_none=True)
    #: kx addition, no longer sent: the manage token in clear, as events raised before issue 14
    #: carried it; a consumer still reads it from an event published then
    manage_token = fields.Str(load_default=None, allow_none=True, validate=well_formed)
    #: kx addition: the application's manage token sealed (shared/link_seal.py), only on events
    #: raised by the application itself (the token is stored hashed, so later events cannot carry
    #: it); notifications opens it when it sends a message, to put the links in
    manage_token_sealed = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=400))
    #: kx addition: sha256 hex of the application's manage token, on every booking event, so
    #: that learning and expenses can recognise the applicant from the token they are given
    #: while keeping only its hash
    manage_token_hash = fields.Str(load_default=None, allow_none=True, validate=validate.Length(equal=64))
    #: kx addition: true on the confirmed/waitlisted events an application raises; its one
    #: `registration.application.submitted` carries the person's message for all of them, so
    #: notifications sends none for the booking itself (issue 15: one email per application)
    told_in_application = fields.Bool(load_default=False)
    #: kx addition (issue 15), on `cancelled` only: the programme team cancelled or moved the
    #: booking for the person, who is told this reason
    reason = fields.Str(load_default=None, allow_none=True, validate=validate.Length(max=1000))
    #: kx addition (issue 15), on `cancelled` only: the exchange the booking was moved to (its own
    #: `confirmed` or `waitlisted` event follows)
    moved_to = fields.Nested(_ExchangeBrief, load_default=None, allow_none=True)


class _AppliedBooking(Schema):
    booking_id = fields.Int(required=True, strict=True)
    exchange_id = fields.Int(required=True, strict=True)
    status = fields.Str(required=True, validate=validate.OneOf(("confirmed", "waitlisted")))
    waitlist_position = fields.Int(allow_none=True, strict=True)
    exchange = fields.Nested(_ExchangeBrief, required=True)


class ApplicationSubmittedData(Schema):
    """kx addition: one application's new bookings together, for its one confirmation email with
    one calendar file (the booking events still come one by one for every projection)."""

    application_id = fields.Int(required=True, strict=True)
    applicant = fields.Nested(_Applicant, required=True)
    bookings = fields.List(fields.Nested(_AppliedBooking), required=True, validate=validate.Length(min=1))
    #: as on the booking events (shared/link_seal.py)
    manage_token_sealed = fields.Str(required=True, validate=validate.Length(min=1, max=400))
    manage_token_hash = fields.Str(required=True, validate=validate.Length(equal=64))
    #: kx addition (issue 15, one person, one link): the application joined, by email alone, the
    #: bookings of a person who had applied before, and their link was renewed with it: the token
    #: sealed above is the new one, and the email says the link sent before no longer works
    link_replaced = fields.Bool(load_default=False)


class LinkReplacedData(Schema):
    """kx addition: an application's manage token was replaced by a new one (asked for by email,
    `reason` "requested", or from the manage page, "replaced"). The old token opens nothing any
    more: learning and expenses keep the new hash; notifications keeps the new seal and emails
    the new link."""

    application_id = fields.Int(required=True, strict=True)
    #: who the application is for, as on booking events (the new link's email needs the name,
    #: address and language; a projection that has not yet heard of the application needs the rest)
    applicant = fields.Nested(_Applicant, required=True)
    #: sha256 hex of the new token
    manage_token_hash = fields.Str(required=True, validate=validate.Length(equal=64))
    #: the new token sealed (shared/link_seal.py)
    manage_token_sealed = fields.Str(required=True, validate=validate.Length(min=1, max=400))
    reason = fields.Str(required=True, validate=validate.OneOf(("requested", "replaced")))


class AttendanceData(Schema):
    exchange_id = fields.Int(required=True, strict=True)
    application_id = fields.Int(required=True, strict=True)
    email = fields.Email(required=True)
    stage = fields.Str(required=True, validate=validate.OneOf(STAGES))
    attended = fields.Bool(required=True)


class SummaryData(Schema):
    # The kx additions here have no load_default: absent stays absent, so a consumer reads them
    # with `.get()` and the contract's three fields load exactly as before.
    exchange_id = fields.Int(required=True, strict=True)
    theme = fields.Str(required=True)
    version = fields.Int(required=True, strict=True)
    #: kx addition: the exchange's title, so a message needs no lookup
    title = fields.Str(allow_none=True)
    #: kx addition: on `.returned`, the theme lead's comment to the host (on `.approved`, if any)
    comment = fields.Str(allow_none=True)
    #: kx addition: who should hear of it: on `.returned`/`.approved` the host accounts, on
    #: `.submitted` the theme's contacts
    recipients = fields.List(fields.Email(), allow_none=True)
    #: kx addition: the language to write to them in
    language = fields.Str(allow_none=True, validate=validate.OneOf(LANGUAGES))
    #: kx addition: path of the summary's page, e.g. `/learning/exchanges/3/summary`
    url = fields.Str(allow_none=True)


class PackData(Schema):
    #: a theme code, or "programme" for the pack of all themes
    theme = fields.Str(required=True)
    pages = fields.Int(required=True, strict=True)
    sha256 = fields.Str(required=True, validate=validate.Length(equal=64))
    #: kx addition: the theme's title ("Whole programme" for the programme pack)
    title = fields.Str(allow_none=True)
    #: kx addition: the pack's language, also the language to write to the recipients in
    language = fields.Str(allow_none=True, validate=validate.OneOf(LANGUAGES))
    #: kx addition: the staff to tell that it is ready (the theme's contacts, set in learning)
    recipients = fields.List(fields.Email(), allow_none=True)
    #: kx addition: path to download it, e.g. `/learning/themes/T1/pack.pdf?lang=en`
    url = fields.Str(allow_none=True)


class ClaimData(Schema):
    claim_id = fields.Int(required=True, strict=True)
    exchange_id = fields.Int(required=True, strict=True)
    claimant_email = fields.Email(required=True)
    language = fields.Str(required=True, validate=validate.OneOf(LANGUAGES))
    total_pence = fields.Int(required=True, strict=True)
    #: on `.rejected` the reason; on `.queried` finance's question to the claimant
    reason = fields.Str(allow_none=True, load_default=None)
    #: kx addition: the claimant's name, so a message can greet them
    claimant_name = fields.Str(load_default=None, allow_none=True)
    #: kx addition: the exchange's title, so a message can say which claim it is about
    exchange_title = fields.Str(load_default=None, allow_none=True)
    #: kx addition: path of the claimant's page for the claim (e.g. where to answer a query)
    url = fields.Str(load_default=None, allow_none=True)
    #: kx addition: registration's application id of the claimant, whose manage link (kept sealed by
    #: notifications) opens their page for the claim, `/expenses/manage/<token>/claims/<claim_id>`
    application_id = fields.Int(load_default=None, allow_none=True, strict=True)


class PaymentRunData(Schema):
    """kx addition (issue 16): a payment run was made and waits for a second finance user to approve
    it; notifications asks the others. No claimant and no bank detail in it."""

    run_id = fields.Int(required=True, strict=True)
    claims = fields.Int(required=True, strict=True)
    total_pence = fields.Int(required=True, strict=True)
    #: the staff id of its maker, who may not approve it (and is not asked to)
    made_by = fields.Int(required=True, strict=True)
    #: path of finance's page of the run
    url = fields.Str(required=True)


class MessageData(Schema):
    message_id = fields.Int(required=True, strict=True)
    event_id = fields.Str(required=True)
    to = fields.Email(required=True)
    template = fields.Str(required=True)


class PingData(Schema):
    """An operator's diagnostic: proves the bus carries events from one service to the others."""

    service = fields.Str(required=True)
    nonce = fields.Str(required=True)


PROGRAMME_CODE = r"^[a-z0-9][a-z0-9-]{0,39}$"
PROGRAMME_STATUSES = ("draft", "open", "running", "closed")


class ProgrammeData(Schema):
    """A programme as in `GET /registration/api/programmes` (`code` and the rest), or, without
    `code`, the first stage's deployment-wide announcement of when the last programme ends, which
    retention counts from (`ends_at` alone; shared/privacy.py) until retention runs per programme."""

    code = fields.Str(validate=validate.Regexp(PROGRAMME_CODE))
    title = fields.Str()
    title_cy = fields.Str(allow_none=True)
    status = fields.Str(validate=validate.OneOf(PROGRAMME_STATUSES))
    booking_opens_at = fields.AwareDateTime(allow_none=True, format="iso")
    booking_closes_at = fields.AwareDateTime(allow_none=True, format="iso")
    #: the last exchange's reflection session (its end when it has none); null with no exchanges
    ends_at = fields.AwareDateTime(required=True, allow_none=True, format="iso")
    target_people = fields.Int(allow_none=True, strict=True)
    #: the programme's code before this change, when the programme team changed it
    renamed_from = fields.Str(validate=validate.Regexp(PROGRAMME_CODE))


class ProgrammePublishedData(ProgrammeData):
    code = fields.Str(required=True, validate=validate.Regexp(PROGRAMME_CODE))
    title = fields.Str(required=True)
    status = fields.Str(required=True, validate=validate.OneOf(PROGRAMME_STATUSES))


class PrivacyRequestData(Schema):
    """kx addition: a subject access or erasure request, fanned out to every service."""

    request_id = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    #: HMAC-SHA256 hex of the case-folded email under KX_SECRET_KEY (shared/privacy.py); never the email
    subject_key = fields.Str(required=True, validate=validate.Length(equal=64))
    #: registration's application ids for that email (learning and expenses know people by them)
    application_ids = fields.List(fields.Int(strict=True), required=True)
    #: one calendar month after the request was received
    due_at = fields.AwareDateTime(required=True, format="iso")


class PrivacyAnswerData(Schema):
    """kx addition: one service's answer to a privacy request, consumed by registration only.

    On `privacy.access.answered`, `data` is the subject's data as the service holds it (personal
    data by necessity; bank details masked; see docs/privacy.md). On `privacy.erasure.completed`,
    it says what was erased and what was kept: counts and reasons, no personal data.
    """

    request_id = fields.Str(required=True, validate=validate.Length(min=1, max=64))
    service = fields.Str(required=True)
    data = fields.Dict(required=True)


class StaffData(Schema):
    """A staff account as it now is (the contract's fields), on every change of it. Never a
    password. Each service may keep `token_version` to refuse tokens of an older version."""

    id = fields.Int(required=True, strict=True)
    email = fields.Email(required=True)
    roles = fields.List(fields.Str(validate=validate.OneOf(ROLES)), required=True)
    #: the exchanges a host hosts
    exchanges = fields.List(fields.Int(strict=True), required=True)
    #: the themes a theme lead leads
    themes = fields.List(fields.Str(), required=True)
    language = fields.Str(required=True, validate=validate.OneOf(LANGUAGES))
    active = fields.Bool(required=True)
    token_version = fields.Int(required=True, strict=True)


class StaffLinkData(Schema):
    """kx addition: a set-password link for notifications to send, on `registration.staff.invited`
    (the `staff_invitation` email, 7 days) and `registration.staff.reset_requested` (the
    `password_reset` email, 1 hour). Registration keeps only the token's hash, so only this event
    can carry the token (as booking events carry the manage token)."""

    id = fields.Int(required=True, strict=True)
    email = fields.Email(required=True)
    name = fields.Str(required=True)
    language = fields.Str(required=True, validate=validate.OneOf(LANGUAGES))
    #: the link's token; `shared.manage_tokens.password_link` makes the link from it
    token = fields.Str(required=True, validate=well_formed)
    expires_at = fields.AwareDateTime(required=True, format="iso")


#: routing key -> schema of its `data`. The contract's table, in code.
EVENT_SCHEMAS: dict[str, type[Schema]] = {
    EXCHANGE_PUBLISHED: ExchangeData,
    EXCHANGE_UPDATED: ExchangeData,
    BOOKING_CONFIRMED: BookingData,
    BOOKING_WAITLISTED: BookingData,
    BOOKING_PROMOTED: BookingData,
    BOOKING_CANCELLED: BookingData,
    ATTENDANCE_RECORDED: AttendanceData,
    LINK_REPLACED: LinkReplacedData,
    APPLICATION_SUBMITTED: ApplicationSubmittedData,
    SUMMARY_SUBMITTED: SummaryData,
    SUMMARY_APPROVED: SummaryData,
    SUMMARY_RETURNED: SummaryData,
    PACK_GENERATED: PackData,
    CLAIM_SUBMITTED: ClaimData,
    CLAIM_APPROVED: ClaimData,
    CLAIM_REJECTED: ClaimData,
    CLAIM_QUERIED: ClaimData,
    CLAIM_PAID: ClaimData,
    #: no bank details in it, not even masked: the claimant is told that they changed, not to what
    CLAIM_BANK_DETAILS_CHANGED: ClaimData,
    PAYMENT_RUN_CREATED: PaymentRunData,
    MESSAGE_SENT: MessageData,
    MESSAGE_FAILED: MessageData,
    PING: PingData,
    PROGRAMME_PUBLISHED: ProgrammePublishedData,
    PROGRAMME_UPDATED: ProgrammeData,
    STAFF_INVITED: StaffLinkData,
    STAFF_RESET_REQUESTED: StaffLinkData,
    STAFF_UPDATED: StaffData,
    ACCESS_REQUESTED: PrivacyRequestData,
    ERASURE_REQUESTED: PrivacyRequestData,
    ACCESS_ANSWERED: PrivacyAnswerData,
    ERASURE_COMPLETED: PrivacyAnswerData,
}


def known_type(binding: str) -> bool:
    """Whether a handler's binding names at least one type above: an event type, or a topic
    pattern (`*` one word, `#` any number of words) as the bus binds it."""
    return any(_topic_matches(binding.split("."), event_type.split(".")) for event_type in EVENT_SCHEMAS)


def _topic_matches(pattern: list[str], words: list[str]) -> bool:
    if not pattern:
        return not words
    head, rest = pattern[0], pattern[1:]
    if head == "#":
        return any(_topic_matches(rest, words[skip:]) for skip in range(len(words) + 1))
    return bool(words) and head in ("*", words[0]) and _topic_matches(rest, words[1:])
