"""The name of each event type, written once: the `type` of its envelope and its routing key.

Publishers and handlers use these names, never the strings, so a typo is an import error instead
of a binding that silently receives nothing; `shared.service.Handler` also refuses, at start-up,
a type (or topic pattern) that no schema declares. Tests keep literal strings where they check
what travels on the wire.
"""

EXCHANGE_PUBLISHED = "registration.exchange.published"
EXCHANGE_UPDATED = "registration.exchange.updated"
BOOKING_CONFIRMED = "registration.booking.confirmed"
BOOKING_WAITLISTED = "registration.booking.waitlisted"
BOOKING_PROMOTED = "registration.booking.promoted"
BOOKING_CANCELLED = "registration.booking.cancelled"
ATTENDANCE_RECORDED = "registration.attendance.recorded"
PROGRAMME_PUBLISHED = "registration.programme.published"
PROGRAMME_UPDATED = "registration.programme.updated"
STAFF_INVITED = "registration.staff.invited"
STAFF_RESET_REQUESTED = "registration.staff.reset_requested"
STAFF_UPDATED = "registration.staff.updated"
LINK_REPLACED = "registration.application.link_replaced"
APPLICATION_SUBMITTED = "registration.application.submitted"

SUMMARY_SUBMITTED = "learning.summary.submitted"
SUMMARY_APPROVED = "learning.summary.approved"
SUMMARY_RETURNED = "learning.summary.returned"
PACK_GENERATED = "learning.pack.generated"

CLAIM_SUBMITTED = "expenses.claim.submitted"
CLAIM_APPROVED = "expenses.claim.approved"
CLAIM_REJECTED = "expenses.claim.rejected"
CLAIM_QUERIED = "expenses.claim.queried"
CLAIM_PAID = "expenses.claim.paid"
CLAIM_BANK_DETAILS_CHANGED = "expenses.claim.bank_details_changed"
PAYMENT_RUN_CREATED = "expenses.payment_run.created"

MESSAGE_SENT = "notifications.message.sent"
MESSAGE_FAILED = "notifications.message.failed"

PING = "system.ping"

ACCESS_REQUESTED = "privacy.access.requested"
ERASURE_REQUESTED = "privacy.erasure.requested"
ACCESS_ANSWERED = "privacy.access.answered"
ERASURE_COMPLETED = "privacy.erasure.completed"

#: the groups that consumers subscribe to together
EXCHANGE_EVENTS = (EXCHANGE_PUBLISHED, EXCHANGE_UPDATED)
BOOKING_EVENTS = (BOOKING_CONFIRMED, BOOKING_WAITLISTED, BOOKING_PROMOTED, BOOKING_CANCELLED)
SUMMARY_EVENTS = (SUMMARY_SUBMITTED, SUMMARY_APPROVED, SUMMARY_RETURNED)
CLAIM_EVENTS = (CLAIM_SUBMITTED, CLAIM_QUERIED, CLAIM_APPROVED, CLAIM_REJECTED, CLAIM_PAID, CLAIM_BANK_DETAILS_CHANGED)
