"""The words pages, emails and errors use for expenses' stored codes, and the few words the API
itself writes (a line's description, an exchange without a title yet).

The API keeps the codes (`"status": "in_run"`): they are its contract. A page shows a code through
its vocabulary below, one per kind of code (`{{ claim.status | label(CLAIM_STATUSES) }}`), never
as it is stored.
"""

from __future__ import annotations

import re

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from shared.i18n import format_date, label

from .models import ClaimHistory, ClaimItem
from .operations.pricing import miles_text

#: a claim's status (models.claim.STATUSES), as its tag
CLAIM_STATUSES = {"draft": _l("Not sent"), "submitted": _l("Submitted"), "queried": _l("Question from finance"),
                  "approved": _l("Approved"), "rejected": _l("Rejected"), "withdrawn": _l("Withdrawn"),
                  "in_run": _l("Being paid"), "paid": _l("Paid")}
#: the same, as the end of "This claim is …"
CLAIM_STATUS_PHRASES = {"draft": _l("not sent yet"), "submitted": _l("sent to finance"),
                        "queried": _l("waiting for your answer"), "approved": _l("approved"),
                        "rejected": _l("rejected"), "withdrawn": _l("withdrawn"),
                        "in_run": _l("approved, being paid"), "paid": _l("paid")}
#: a payment run's status (models.payment_run.RUN_STATUSES)
RUN_STATUSES = {"open": _l("Waiting for a second person to approve"),
                "approved": _l("Approved: waiting for the payments to be released"), "confirmed": _l("Payments released"),
                "cancelled": _l("Cancelled")}
#: what a line of the claim history says happened (ClaimHistory.action)
HISTORY_ACTIONS = {"created": _l("Started"), "submitted": _l("Sent to finance"),
                   "amended": _l("Changed and sent again"), "answered": _l("Question answered"),
                   "queried": _l("Question asked"), "approved": _l("Approved"), "rejected": _l("Rejected"),
                   "withdrawn": _l("Withdrawn"), "added_to_run": _l("Added to a payment run"),
                   "removed_from_run": _l("Taken out of a payment run"), "paid": _l("Paid"),
                   "bank_details_changed": _l("Bank details changed")}
#: who did it (ClaimHistory.actor_kind); finance staff are shown by name
ACTORS = {"claimant": _l("Claimant"), "system": _l("System")}
#: kinds of cost (models.claim_item.ITEM_TYPES)
ITEM_TYPES = {"mileage": _l("Journey by car, motorcycle or bicycle"), "public_transport": _l("Public transport"),
              "parking": _l("Parking"), "accommodation": _l("Accommodation"), "subsistence": _l("Food and drink"),
              "carer": _l("A carer's or companion's costs"), "other": _l("Something else")}
#: how a journey was made (ClaimItem.vehicle)
VEHICLES = {"car": _l("Car or van"), "motorcycle": _l("Motorcycle"), "bicycle": _l("Bicycle")}
#: a journey in words, by vehicle (items.describe is the API's English)
JOURNEYS = {"car": _l("%(start)s to %(end)s, %(miles)s miles by car"),
            "motorcycle": _l("%(start)s to %(end)s, %(miles)s miles by motorcycle"),
            "bicycle": _l("%(start)s to %(end)s, %(miles)s miles by bicycle")}
#: flags for finance (Claim.flags, ClaimItem.flags)
FLAG_WORDS = {"over_cap": _l("Over its limit"), "lost_receipt": _l("No receipt"),
              "duplicate_receipt": _l("Same receipt as another claim"),
              "duplicate_item": _l("Same cost claimed twice"), "long_journey": _l("Journey over 1,000 miles"),
              "rate_unverified": _l("Mileage rate to be confirmed"), "bank_details_changed": _l("Bank details changed")}
#: what a limit is counted per (rates.toml `per`)
CAP_UNITS = {"night": _l("a night"), "day": _l("a day"), "item": _l("an item")}

#: the dashboard's key for a claim without a theme or a submission date (the page shows it in words)
UNKNOWN = "unknown"

#: one part of a mileage working as pricing writes it: "120 mi at 45p", "130 mi × 1 passenger at 5p"
_WORKING_PART = re.compile(r"(?P<miles>[\d,.]+) mi(?: × (?P<passengers>\d+) passengers?)?(?: at (?P<pence>\d+)p)?")
#: what the history's notes say when the system, not a person, wrote them
_RUN_NOTE = re.compile(r"payment run (?P<id>\d+)(?P<cancelled> cancelled)?")


def describe(item: ClaimItem) -> str:
    """A line as the API describes it (English: a journey's vehicle is its code)."""
    if item.type == "mileage":
        return f"{item.from_place} to {item.to_place}, {miles_text(item.miles_tenths)} miles by {item.vehicle}"
    return item.description


def untitled(exchange_id: int) -> str:
    """The API's title of an exchange whose title has not arrived yet."""
    return f"Exchange {exchange_id}"


def describe_line(item: ClaimItem) -> str:
    """A line in the reader's words: a journey from where to where, how far and how; a cost as the
    claimant described it."""
    if item.type == "mileage" and item.vehicle in JOURNEYS:
        return str(JOURNEYS[item.vehicle]) % {"start": item.from_place, "end": item.to_place,
                                               "miles": miles_text(item.miles_tenths)}
    return describe(item)


def working_words(working: str | None) -> str:
    """How a journey was priced, in the reader's words. Pricing stores it in English (the API gives it
    as it is), in a form this reads back; anything else is shown as it was written."""
    if not working:
        return ""
    parts = []
    for part in working.split(" + "):
        found = _WORKING_PART.fullmatch(part)
        if found is None:
            return working
        miles, passengers, pence = found["miles"], found["passengers"], found["pence"]
        if pence is None:
            parts.append(_("%(miles)s mi", miles=miles))
        elif passengers:
            parts.append(ngettext("%(miles)s mi × %(num)s passenger at %(pence)sp",
                                  "%(miles)s mi × %(num)s passengers at %(pence)sp", int(passengers),
                                  miles=miles, pence=pence))
        else:
            parts.append(_("%(miles)s mi at %(pence)sp", miles=miles, pence=pence))
    return " + ".join(parts)


def history_rows(rows: list[ClaimHistory]) -> list[dict]:
    """The claim history as finance's page shows it: every code in words, the system's own notes too."""
    return [{"at": row.at, "who": row.actor_name if row.actor_kind == "finance" else label(row.actor_kind, ACTORS),
             "what": label(row.action, HISTORY_ACTIONS), "from": label(row.from_status, CLAIM_STATUSES),
             "to": label(row.to_status, CLAIM_STATUSES), "note": _note_words(row.text)} for row in rows]


def _note_words(note: str | None) -> str:
    found = _RUN_NOTE.fullmatch(note or "")
    if found is None:
        return note or ""
    if found["cancelled"]:
        return _("Payment run %(id)s, cancelled", id=found["id"])
    return _("Payment run %(id)s", id=found["id"])


def dashboard_words(figures: dict) -> dict:
    """The dashboard's figures (as the API gives them) with words for the page: months by name, an
    exchange without a title by number, "unknown" in the reader's language."""
    unknown = _("Unknown")
    return {
        "total": figures["total"],
        "by_exchange": [{**row, "title": _("Exchange %(id)s", id=row["exchange_id"])
                         if row["title"] == untitled(row["exchange_id"]) else row["title"]}
                        for row in figures["by_exchange"]],
        "by_theme": [{**row, "theme": unknown if row["theme"] == UNKNOWN else row["theme"]}
                     for row in figures["by_theme"]],
        "by_month": [{**row, "month": unknown if row["month"] == UNKNOWN else format_date(row["month"], style="month")}
                     for row in figures["by_month"]],
    }
