"""The words notifications' pages use for its stored codes: one vocabulary per kind of code.

The API keeps the codes (`"template": "claim_queried"`), its contract. The delivery log shows each
through its vocabulary (`{{ message.status | label(MESSAGE_STATUSES) }}`); a language by its own
name, `shared.web.LANGUAGE_NAMES`.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

#: where a message is (Message.status)
MESSAGE_STATUSES = {"pending": _l("Pending"), "sent": _l("Sent"), "failed": _l("Failed")}
#: which template wrote a message (Message.template)
TEMPLATES = {
    "confirmation": _l("Place confirmed"), "waitlisted": _l("On the waiting list"),
    "promoted": _l("Place offered from the waiting list"), "cancelled": _l("Booking cancelled"),
    "cancelled_by_team": _l("Booking cancelled or moved by the programme team"),
    "reminder": _l("Reminder of the exchange"), "feedback_request": _l("Request for feedback"),
    "announcement": _l("Joining information"), "announcement_updated": _l("Joining information, updated"),
    "claim_submitted": _l("Expenses claim received"), "claim_queried": _l("Question about an expenses claim"),
    "claim_approved": _l("Expenses claim approved"), "claim_rejected": _l("Expenses claim not approved"),
    "claim_paid": _l("Expenses paid"), "claim_bank_details_changed": _l("Bank details changed on an expenses claim"), "summary_submitted": _l("Summary ready for review"),
    "summary_approved": _l("Summary approved"), "summary_returned": _l("Summary returned"),
    "pack_ready": _l("Workshop pack ready"),
    "claim_to_decide": _l("Expenses claim waiting for finance"),
    "payment_run_to_approve": _l("Payment run waiting for approval"),
    "staff_invitation": _l("Invitation to a staff account"), "password_reset": _l("Password reset"),
    "new_link": _l("New link to their bookings"),
    "application": _l("Application with several exchanges"),
    "message_to_people": _l("Message from the programme team"),
}
