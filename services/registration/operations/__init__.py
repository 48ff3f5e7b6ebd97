"""What registration does, as functions over a session: they add rows and emit events, then flush.

The caller (an API view, a web form or a bus handler) commits once. Every function takes the
session first and, where time matters, `now` (an aware datetime; default: the current time), so
tests can move the clock. Refusals are `shared.errors.ApiError`s (404, 409, 422), which the views
turn into the one error format and the web forms can show beside their fields.

- `allocation`: apply, cancel a booking, change an exchange or its capacity (either may promote
  from the waiting list), promote from the waiting list, warnings
- `catalogue`: themes, exchanges (create, change their fields, close, reopen) and how they are shown
- `applications`: an application and its bookings, as its applicant sees it
- `attendance`: who came to which stage, and each exchange's participants
- `staff`: signing in with lockout, and the roles a token carries; `sign_out`: revoking an
  account's tokens, and what revokes one here; `mfa`: the optional TOTP second factor and its
  recovery codes
- `accounts`: staff accounts' lives: invitations, set-password links, changes of roles and
  scopes, deactivation (each change emits `registration.staff.updated`); `passwords`: the rules
- `tokens`: applicants' manage tokens (random, stored hashed, compared in constant time)
- `privacy_requests`: subject access and erasure requests, and each service's answer
- `idempotency`: `Idempotency-Key` (a retried application gets the first answer)
- `apply_drafts`: the apply journey's answers between its pages, server-side and encrypted
- `ratelimit`: limits per client address on applications and failed sign-ins
"""

from .accounts import create_staff
from .allocation import (
    Applicant,
    ApplicationResult,
    BookingOutcome,
    apply,
    cancel_booking,
    clash_warnings,
    promote_waitlisted,
    release_reservations,
    set_capacity,
    update_exchange,
)
from .attendance import Participant, participants, record_attendance
from .catalogue import (
    KEEP,
    create_exchange,
    create_theme,
    exchange_data,
    exchange_numbers,
    exchange_status,
    list_exchanges,
    publish_draft,
    set_closed,
    theme_tree,
    update_theme,
)
from .sign_out import sign_out
from .staff import SignIn, second_factor, sign_in, staff_identity
from .tokens import application_for_token

__all__ = [
    "KEEP", "Applicant", "ApplicationResult", "BookingOutcome", "Participant", "SignIn", "application_for_token",
    "apply", "cancel_booking", "clash_warnings", "create_exchange", "create_staff", "create_theme",
    "exchange_data", "exchange_numbers", "exchange_status", "list_exchanges", "participants",
    "promote_waitlisted", "publish_draft", "record_attendance", "release_reservations", "set_capacity", "set_closed",
    "second_factor", "sign_in", "sign_out", "staff_identity", "theme_tree", "update_exchange", "update_theme",
]
