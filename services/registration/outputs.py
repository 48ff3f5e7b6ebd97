"""What the registration API answers: output schemas (shared.api.Output) that list every field.

A view returns rows, dataclasses or dicts and its `@api.response` dumps them with one of these, so
an answer holds exactly the fields written here, and the OpenAPI document says the same. Times are
`shared.api.DateTime`: ISO 8601 in UTC with its offset. The participants' CSV (the API's and the
staff page's download) is written from the same participant output.
"""

from __future__ import annotations

import csv
import io
import json

from flask import Response
from flask_babel import gettext as _
from marshmallow import fields, validate
from openpyxl import Workbook

from shared.api import DateTime, Output
from shared.i18n import label
from shared.web import LANGUAGE_NAMES

from .operations.attendance import STAGES, Participant
from .vocabularies import (
    ATTENDANCE_STAGES,
    BOOKING_HEADINGS,
    BOOKING_STATUSES,
    PARTICIPANT_HEADINGS,
    PARTICIPANT_TYPES,
    STAKEHOLDER_GROUPS,
)

#: what happened on one chosen exchange (operations.BookingOutcome), or a booking's status since
BOOKING_OUTCOMES = ("confirmed", "waitlisted", "closed", "already_booked", "cancelled")


# --- themes and exchanges ------------------------------------------------------------------------


class SubthemeOutput(Output):
    code = fields.String(required=True)
    title = fields.String(required=True)
    #: the Welsh version of a text, null when there is none (CONTRACT.md "Content in Welsh and English")
    title_cy = fields.String(required=True, allow_none=True)


class ThemeOutput(Output):
    code = fields.String(required=True)
    title = fields.String(required=True)
    title_cy = fields.String(required=True, allow_none=True)
    subthemes = fields.List(fields.Nested(SubthemeOutput), required=True)


class HostOutput(Output):
    name = fields.String(required=True)
    #: only for staff (after creating or changing an exchange), never in the public catalogue
    accounts = fields.List(fields.String())


class LocationOutput(Output):
    site = fields.String(required=True)
    site_cy = fields.String(required=True, allow_none=True)
    town = fields.String(required=True)


class SessionOutput(Output):
    """An exchange's online orientation or reflection session."""

    starts_at = DateTime(required=True)
    url = fields.String(required=True, allow_none=True)


class ReservedPlacesOutput(Output):
    experience = fields.Integer(required=True)
    occupation = fields.Integer(required=True)
    until = DateTime(required=True, allow_none=True)


class ExchangeOutput(Output):
    """An exchange (operations.exchange_data); `time_commitment` and `reserved_places` (kx
    additions) in the answers about one exchange (operations.exchange_details); `draft` (kx addition)
    in every answer."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    title_cy = fields.String(required=True, allow_none=True)
    theme = fields.String(required=True)
    subtheme = fields.String(required=True, allow_none=True)
    host = fields.Nested(HostOutput, required=True)
    location = fields.Nested(LocationOutput, required=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    capacity = fields.Integer(required=True)
    places_left = fields.Integer(required=True)
    waitlist_length = fields.Integer(required=True)
    booking_closes_at = DateTime(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("open", "full", "closed")))
    description = fields.String(required=True)
    description_cy = fields.String(required=True, allow_none=True)
    learning_outcomes = fields.List(fields.String(), required=True)
    learning_outcomes_cy = fields.List(fields.String(), required=True, allow_none=True)
    orientation = fields.Nested(SessionOutput, required=True, allow_none=True)
    reflection = fields.Nested(SessionOutput, required=True, allow_none=True)
    time_commitment = fields.String()
    time_commitment_cy = fields.String(allow_none=True)
    reserved_places = fields.Nested(ReservedPlacesOutput)
    #: kx addition: saved but not published (only the programme team and its hosts see a draft)
    draft = fields.Boolean()


class ExchangeNumbersOutput(Output):
    """One exchange's row of the programme team's numbers (operations.exchange_numbers)."""

    id = fields.Integer(required=True)
    title = fields.String(required=True)
    theme = fields.String(required=True)
    starts_at = DateTime(required=True)
    capacity = fields.Integer(required=True)
    confirmed = fields.Integer(required=True)
    waitlisted = fields.Integer(required=True)
    cancelled = fields.Integer(required=True)
    places_left = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("open", "full", "closed")))
    closed_early = fields.Boolean(required=True)
    draft = fields.Boolean(required=True)


# --- applications --------------------------------------------------------------------------------


class BookingOutcomeOutput(Output):
    exchange_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(BOOKING_OUTCOMES))
    waitlist_position = fields.Integer(required=True, allow_none=True)


class ClashWarningOutput(Output):
    """Two chosen exchanges on the same day, or a session during another exchange
    (operations.clash_warnings)."""

    code = fields.String(required=True, validate=validate.OneOf(("same_day", "session_clash")))
    exchange_ids = fields.List(fields.Integer(), required=True)
    date = fields.String(required=True)  #: the local day, `2026-03-10`
    session = fields.String(validate=validate.OneOf(("orientation", "reflection")))


class AppliedOutput(Output):
    """`POST /applications` (operations.ApplicationResult): the manage token exists only here."""

    application_id = fields.Integer(required=True)
    #: kx (issue 15): null when the application joined, by email alone, the bookings of a person
    #: who had applied before: their link goes only to their address (`link`)
    manage_token = fields.String(required=True, allow_none=True)
    bookings = fields.List(fields.Nested(BookingOutcomeOutput), required=True)
    warnings = fields.List(fields.Nested(ClashWarningOutput), required=True)
    #: kx (issue 15): shown (the token above) | emailed (renewed, sent to the address only; the
    #: old link no longer works) | unchanged (joined by email, nothing booked, nothing sent)
    link = fields.String(required=True, validate=validate.OneOf(("shown", "emailed", "unchanged")))


class ApplicantOutput(Output):
    name = fields.String(required=True)
    email = fields.String(required=True)
    organisation = fields.String(required=True)
    role = fields.String(required=True)
    participant_type = fields.String(required=True)
    stakeholder_group = fields.String(required=True)
    language = fields.String(required=True)
    access_needs = fields.String(required=True)


class BookedExchangeOutput(Output):
    title = fields.String(required=True)
    title_cy = fields.String(required=True, allow_none=True)
    starts_at = DateTime(required=True)
    ends_at = DateTime(required=True)
    location = fields.Nested(LocationOutput, required=True)


class BookingOutput(Output):
    exchange_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(BOOKING_OUTCOMES))
    waitlist_position = fields.Integer(required=True, allow_none=True)
    exchange = fields.Nested(BookedExchangeOutput, required=True)


class ApplicationOutput(Output):
    """`GET /applications/<token>` (operations.application_with_bookings)."""

    application_id = fields.Integer(required=True)
    created_at = DateTime(required=True)
    applicant = fields.Nested(ApplicantOutput, required=True)
    line_manager_permission = fields.String(required=True)
    will_attend_sessions = fields.Boolean(required=True)
    bookings = fields.List(fields.Nested(BookingOutput), required=True)


class LinkRequestedOutput(Output):
    """`POST /applications/link` and `POST /applications/<token>/link`: the same answer whatever
    the email (it never says whether it has applied)."""

    message = fields.String(required=True)


class CancelledOutput(Output):
    """The booking after `POST /applications/<token>/bookings/<id>/cancel`."""

    status = fields.String(required=True)
    exchange_id = fields.Integer(required=True)


# --- hosts ---------------------------------------------------------------------------------------


class ParticipantOutput(Output):
    """One active booking and its applicant (operations.Participant)."""

    booking_id = fields.Integer(required=True, attribute="booking.id")
    application_id = fields.Integer(required=True, attribute="application.id")
    status = fields.String(required=True, attribute="booking.status")
    waitlist_position = fields.Integer(required=True, allow_none=True, attribute="booking.waitlist_position")
    name = fields.String(required=True, attribute="application.name")
    email = fields.String(required=True, attribute="application.email")
    organisation = fields.String(required=True, attribute="application.organisation")
    role = fields.String(required=True, attribute="application.role")
    participant_type = fields.String(required=True, attribute="application.participant_type")
    stakeholder_group = fields.String(required=True, attribute="application.stakeholder_group")
    language = fields.String(required=True, attribute="application.language")
    access_needs = fields.String(required=True, attribute="application.access_needs")
    #: stage -> attended (true, false, or null when not recorded)
    attendance = fields.Dict(keys=fields.String(), values=fields.Boolean(allow_none=True), required=True)


class AttendanceOutput(Output):
    """What `POST /exchanges/<id>/attendance` recorded."""

    exchange_id = fields.Integer(required=True)
    email = fields.String(required=True)
    stage = fields.String(required=True)
    attended = fields.Boolean(required=True)


# --- staff sign-in and privacy requests ----------------------------------------------------------


class TokenOutput(Output):
    """`POST /auth/token`: a bearer token for every service, and the roles it carries."""

    token = fields.String(required=True)
    expires_at = DateTime(required=True)
    #: role -> the scopes it has (exchange ids for `host`; empty for `admin`)
    roles = fields.Dict(keys=fields.String(), values=fields.List(fields.Raw()), required=True)


class PrivacyRequestMadeOutput(Output):
    id = fields.String(required=True)
    due_at = DateTime(required=True)


class ServiceAnswerOutput(Output):
    """One service's part of a request; an erasure's answer says what it erased and kept."""

    status = fields.String(required=True, validate=validate.OneOf(("answered", "waiting")))
    answered_at = DateTime(required=True, allow_none=True)
    erased = fields.Dict(keys=fields.String(), values=fields.Integer())  #: table -> rows
    retained = fields.List(fields.String())  #: what is kept, and why


class PrivacyRequestOutput(Output):
    """A privacy request and which services answered (operations.privacy_requests.request_progress)."""

    id = fields.String(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("access", "erasure")))
    received_at = DateTime(required=True)
    due_at = DateTime(required=True)
    completed_at = DateTime(required=True, allow_none=True)
    status = fields.String(required=True, validate=validate.OneOf(("complete", "in_progress")))
    overdue = fields.Boolean(required=True)
    services = fields.Dict(keys=fields.String(), values=fields.Nested(ServiceAnswerOutput), required=True)


class PrivacyRequestHeaderOutput(Output):
    id = fields.String(required=True)
    received_at = DateTime(required=True)
    due_at = DateTime(required=True)
    completed_at = DateTime(required=True, allow_none=True)


class PrivacyExportOutput(Output):
    """The complete answer to an access request: each service's data as it sent it."""

    request = fields.Nested(PrivacyRequestHeaderOutput, required=True)
    services = fields.Dict(keys=fields.String(), values=fields.Raw(), required=True)


def privacy_export_file(document: dict, request_id: str) -> Response:
    """An access request's complete answer as a JSON download (the API's and the staff page's)."""
    return Response(json.dumps(PrivacyExportOutput().dump(document), ensure_ascii=False, indent=2),
                    mimetype="application/json",
                    headers={"Content-Disposition": f'attachment; filename="subject-access-{request_id}.json"'})


# --- the participants' CSV -----------------------------------------------------------------------

PARTICIPANT = ParticipantOutput()
PARTICIPANT_COLUMNS = ("booking_id", "status", "waitlist_position", "name", "email", "organisation", "role",
                       "participant_type", "stakeholder_group", "language", "access_needs",
                       *(f"attended_{stage}" for stage in STAGES))
#: how each column's value is put in words in the staff page's CSV
_COLUMN_WORDS = {"status": BOOKING_STATUSES, "participant_type": PARTICIPANT_TYPES,
                 "stakeholder_group": STAKEHOLDER_GROUPS, "language": LANGUAGE_NAMES}


def participants_csv(participants: list[Participant], words: bool = False) -> str:
    """The participants as CSV: the API's with its column names and codes; with `words` the staff
    page's download, headings and values in the reader's language."""
    out = io.StringIO()
    writer = csv.writer(out)
    if words:
        writer.writerow([*(str(PARTICIPANT_HEADINGS[c]) for c in PARTICIPANT_COLUMNS[:11]),
                         *(_("Attended: %(stage)s", stage=ATTENDANCE_STAGES[s]) for s in STAGES)])
    else:
        writer.writerow(PARTICIPANT_COLUMNS)
    for participant in participants:
        row = PARTICIPANT.dump(participant)
        attendance = row.pop("attendance")
        values = [label(row[c], _COLUMN_WORDS[c]) if words and c in _COLUMN_WORDS else row[c]
                  for c in PARTICIPANT_COLUMNS[:11]]
        values += [_yes_no(attendance[s], words) for s in STAGES]
        writer.writerow([_safe_cell(v) for v in values])
    return out.getvalue()


def _yes_no(value: bool | None, words: bool) -> str:
    if value is None:
        return ""
    if words:
        return _("Yes") if value else _("No")
    return "yes" if value else "no"


def _safe_cell(value) -> str:
    """Text a spreadsheet will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


# --- the programme's bookings ----------------------------------------------------------------------


class BookingTotalsOutput(Output):
    """The selection counted (operations.bookings_list.Totals)."""

    applications = fields.Integer(required=True)
    bookings = fields.Integer(required=True)
    confirmed = fields.Integer(required=True)
    waiting = fields.Integer(required=True)
    cancelled = fields.Integer(required=True)
    attended = fields.Integer(required=True)


class BookingListOutput(Output):
    """One booking of the programme-wide list (operations.bookings_list.BookingRow)."""

    booking_id = fields.Integer(required=True, attribute="booking.id")
    application_id = fields.Integer(required=True, attribute="application.id")
    exchange_id = fields.Integer(required=True, attribute="booking.exchange_id")
    exchange_title = fields.String(required=True)
    status = fields.String(required=True, attribute="booking.status",
                           validate=validate.OneOf(("confirmed", "waitlisted", "cancelled")))
    waitlist_position = fields.Integer(required=True, allow_none=True, attribute="booking.waitlist_position")
    name = fields.String(required=True, attribute="application.name")
    email = fields.String(required=True, attribute="application.email")
    organisation = fields.String(required=True, attribute="application.organisation")
    participant_type = fields.String(required=True, attribute="application.participant_type")
    stakeholder_group = fields.String(required=True, attribute="application.stakeholder_group")
    language = fields.String(required=True, attribute="application.language")
    #: came to the exchange visit: true, false, or null while not recorded
    attended = fields.Boolean(required=True, allow_none=True)
    booked_at = DateTime(required=True, attribute="booking.created_at")


BOOKING_LIST = BookingListOutput()
BOOKING_COLUMNS = ("booking_id", "exchange_id", "exchange_title", "status", "waitlist_position", "name", "email",
                   "organisation", "participant_type", "stakeholder_group", "language", "attended", "booked_at")


def booking_table(rows, words: bool = False) -> list[list[str]]:
    """The bookings as a table, heading row first: the API's column names and codes, or with
    `words` the staff download's headings and values in the reader's language. Every cell is safe
    from formula injection, in CSV and in a spreadsheet."""
    if words:
        table = [[str(BOOKING_HEADINGS.get(c) or PARTICIPANT_HEADINGS[c]) for c in BOOKING_COLUMNS]]
    else:
        table = [list(BOOKING_COLUMNS)]
    for row in rows:
        dumped = BOOKING_LIST.dump(row)
        values = []
        for column in BOOKING_COLUMNS:
            value = dumped[column]
            if column == "attended":
                value = _yes_no(value, words)
            elif words and column in _COLUMN_WORDS:
                value = label(value, _COLUMN_WORDS[column])
            values.append(_safe_cell(value))
        table.append(values)
    return table


def bookings_csv(rows, words: bool = False) -> str:
    out = io.StringIO()
    csv.writer(out).writerows(booking_table(rows, words))
    return out.getvalue()


def bookings_xlsx(rows, words: bool = False) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="bookings")
    for values in booking_table(rows, words):
        sheet.append(values)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


class StaffBookingOutput(Output):
    """A booking the programme team cancelled, or the new one of a move (`POST /bookings/<id>/...`)."""

    booking_id = fields.Integer(required=True, attribute="id")
    exchange_id = fields.Integer(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("confirmed", "waitlisted", "cancelled")))
    waitlist_position = fields.Integer(required=True, allow_none=True)


# --- staff accounts --------------------------------------------------------------------------------


class StaffCreatedOutput(Output):
    """An invitation made (201), or the account that already has that email (in a 409)."""

    id = fields.Integer(required=True)
    email = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("invited", "active", "disabled")))


class _ErrorOutput(Output):
    code = fields.String(required=True)
    message = fields.String(required=True)


class StaffExistsOutput(Output):
    """409 on inviting an email that has an account: the one error body, and that account."""

    error = fields.Nested(_ErrorOutput, required=True)
    account = fields.Nested(StaffCreatedOutput, required=True)


class StaffOutput(Output):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    name = fields.String(required=True)
    status = fields.String(required=True, validate=validate.OneOf(("invited", "active", "disabled")))
    language = fields.String(required=True)
    roles = fields.List(fields.String(), required=True)
    exchanges = fields.List(fields.Integer(), required=True)
    themes = fields.List(fields.String(), required=True)
    last_signed_in_at = DateTime(required=True, allow_none=True)
    created_at = DateTime(required=True)
    token_version = fields.Integer(required=True)


class PasswordSetOutput(Output):
    id = fields.Integer(required=True)
    email = fields.String(required=True)
    status = fields.String(required=True)


class AcceptedOutput(Output):
    """202: taken; what happens next is not said."""

    status = fields.String(required=True)


class SignedOutOutput(Output):
    """The account's tokens so far are revoked: `{"status": "signed_out"}`."""

    status = fields.String(required=True)
