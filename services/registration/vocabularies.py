"""The words registration's pages use for stored codes, one vocabulary per kind of code.

The API (JSON and its CSV) keeps the stored codes, its contract. Pages and the staff page's CSV show
each code through its vocabulary (`{{ row.status | label(EXCHANGE_STATUSES) }}`).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: an exchange's status as the staff pages show it
EXCHANGE_STATUSES = {"open": _l("Open"), "full": _l("Full"), "closed": _l("Closed")}
#: a booking's status (models.booking)
BOOKING_STATUSES = {"confirmed": _l("Confirmed"), "waitlisted": _l("On the waiting list"),
                    "cancelled": _l("Cancelled")}
#: how someone takes part (Application.participant_type)
PARTICIPANT_TYPES = {"occupation": _l("Expert by occupation"), "experience": _l("Expert by experience"),
                     "both": _l("Expert by occupation and by experience")}
#: the group someone mainly represents (Application.stakeholder_group)
STAKEHOLDER_GROUPS = {"lived_experience": _l("Lived experience"), "health": _l("Health"),
                      "social_care": _l("Social care"),
                      "third_sector": _l("The Third Sector (voluntary and community organisations)"),
                      "other": _l("Another group")}
#: the stages whose attendance is recorded (operations.attendance.STAGES)
ATTENDANCE_STAGES = {"orientation": _l("Orientation session"), "exchange": _l("Exchange visit"),
                     "reflection": _l("Reflection session")}
#: the headings of the staff page's CSV, by column
PARTICIPANT_HEADINGS = {"booking_id": _l("Booking"), "status": _l("Status"),
                        "waitlist_position": _l("Place on the waiting list"), "name": _l("Name"),
                        "email": _l("Email"), "organisation": _l("Organisation"), "role": _l("Role"),
                        "participant_type": _l("Taking part as"), "stakeholder_group": _l("Stakeholder group"),
                        "language": _l("Language for emails"), "access_needs": _l("Access needs")}
#: the headings of the programme's bookings download beyond PARTICIPANT_HEADINGS'
BOOKING_HEADINGS = {"exchange_id": _l("Exchange number"), "exchange_title": _l("Exchange"),
                    "attended": _l("Came to the visit"), "booked_at": _l("Booked at")}
#: a staff account's status (models.staff_account)
STAFF_STATUSES = {"invited": _l("Invited"), "active": _l("Active"), "disabled": _l("Deactivated")}
#: staff roles (shared.auth.ROLES)
STAFF_ROLES = {"admin": _l("Programme team (admin)"), "host": _l("Host"), "theme_lead": _l("Theme lead"),
               "finance": _l("Finance")}
#: why a set-password link opens nothing (operations.accounts.LinkRefused)
LINK_REFUSALS = {
    "unknown": _l("This link is not valid. Check that you copied all of it from the email, or ask for a new one."),
    "spent": _l("This link has already been used. Each link sets a password once."),
    "expired": _l("This link has expired. An invitation lasts 7 days and a password reset 1 hour."),
}
#: why a sign-in was refused, the same on the page and in the API (operations.staff.sign_in)
WRONG_PASSWORD = _l("Enter a correct email address and password. After 5 failed attempts in a row an account is "
                    "locked for 15 minutes.")
WRONG_CODE = _l("Enter a correct code from your authenticator app, or an unused recovery code. After 5 failed "
                "attempts in a row an account is locked for 15 minutes.")
#: why a single sign-on did not sign anyone in (single_sign_on.Refused, operations.staff.sign_in_verified):
#: the refusal page's heading and what it tells the person to do
SSO_REFUSALS = {
    "state": (_l("This sign-in could not be finished"),
              _l("The answer from your organisation's sign-in does not belong to a sign-in started in this browser, "
                 "or it came more than an hour later. Start again from the sign-in page.")),
    "token": (_l("Your organisation's sign-in could not be checked"),
              _l("kx could not verify the answer from your organisation's sign-in, so it has not signed you in. "
                 "Start again from the sign-in page. If this happens again, tell the programme team.")),
    "provider_refused": (_l("Your organisation did not sign you in"),
                         _l("The sign-in at your organisation was cancelled or refused. Start again, or sign in "
                            "with your email address and password.")),
    "unverified": (_l("Your email address is not verified"),
                   _l("Your organisation's sign-in did not confirm your email address, so kx cannot tell which "
                      "account is yours. Sign in with your email address and password, or ask your "
                      "organisation's IT team to check the email address on your account.")),
    "unavailable": (_l("Your organisation's sign-in is not available"),
                    _l("kx cannot reach your organisation's sign-in just now. Try again in a few minutes, or sign "
                       "in with your email address and password.")),
    "unknown": (_l("There is no account for you"),
                _l("There is no kx staff account with this email address. The programme team makes accounts: "
                   "ask them to invite you.")),
    "invited": (_l("Your account is not set up yet"),
                _l("Your account has been invited but not set up. Set your password first with the link in your "
                   "invitation email; then you can also sign in with your organisation account.")),
    "disabled": (_l("Your account has been deactivated"),
                 _l("This kx staff account has been deactivated, so it cannot sign in. Ask the programme team if "
                    "you need it again.")),
}
