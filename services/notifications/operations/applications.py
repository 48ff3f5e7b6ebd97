"""`registration.application.submitted`: one email for one application, however many exchanges
it booked, with one calendar file holding every confirmed place (issue 15).

The application's booking events say `told_in_application`, so they send nothing themselves (they
still keep the projection, the reminders and the joining information). A booking that has moved
on by the time this is handled (cancelled, or promoted and told so) is left out: its own newer
message said what is true now. One booking gets the message it always had (`confirmation` or
`waitlisted`); several get `application`. An application that joined, by email alone, the
bookings of someone who had applied before (`link_replaced`) says so: its link is their new one,
and the one sent before no longer works.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from shared.manage_tokens import manage_link
from shared.projections import event_time, pending_or_stored

from ..config import for_session
from ..models import Booking
from . import links
from .bookings import exchange_view
from .calendar import CONTENT_TYPE, FILENAME, bookings_calendar
from .language_links import with_language
from .messages import File, queue_message
from .rendering import in_language


def on_application(session: Session, envelope: dict, data: dict) -> None:
    with session.no_autoflush:
        _on_application(session, envelope, data)


def _on_application(session: Session, envelope: dict, data: dict) -> None:
    mail = for_session(session)
    as_of = event_time(envelope)
    applicant = data["applicant"]
    known = links.remember(session, data["application_id"], as_of, data["manage_token_sealed"])
    link = manage_link(links.masked_token(known), mail.public_url) if known else None
    booked = []
    for booking in data["bookings"]:
        row = pending_or_stored(session, Booking, {"id": booking["booking_id"]})
        if row is not None and row.status != booking["status"]:
            continue
        booked.append({"id": booking["booking_id"], "status": booking["status"],
                       "position": booking.get("waitlist_position"),
                       "exchange": exchange_view(session, envelope, booking, as_of)})
    if not booked:
        return
    confirmed = [(b["id"], b["exchange"]) for b in booked if b["status"] == "confirmed"]
    attachments = ()
    if confirmed:
        with in_language(applicant["language"]):
            in_their_language = link and with_language(link, mail.public_url, applicant["language"], html=False)
            attachments = (File(FILENAME, CONTENT_TYPE,
                                bookings_calendar(confirmed, mail.sender_domain, in_their_language)),)
    context = {"name": applicant["name"], "manage_url": link, "catalogue_url": mail.link("/registration/"),
               "link_replaced": bool(data.get("link_replaced")) and link is not None}
    if len(booked) == 1:
        only = booked[0]
        template = "confirmation" if only["status"] == "confirmed" else "waitlisted"
        context.update(exchange=only["exchange"], position=only["position"])
    else:
        template = "application"
        context.update(bookings=booked, any_confirmed=bool(confirmed),
                       any_waitlisted=any(b["status"] == "waitlisted" for b in booked))
    queue_message(session, mail, event_id=envelope["id"], to=applicant["email"], template=template,
                  language=applicant["language"], context=context, attachments=attachments,
                  link_of=data["application_id"] if known else None)
