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
