"""A claim's lines in context: checked against the exchange, the receipts and the limits, priced,
and flagged for finance.

`build_items` turns the loaded input of every line into `ClaimItem` rows (not yet added). Any rule
broken is a 422 whose fields name the line (`items.2.miles`), and nothing is stored.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from shared.errors import ApiError
from shared.i18n import format_date

from ..models import Claim, ClaimItem, Exchange, Receipt
from ..vocabularies import CAP_UNITS, ITEM_TYPES
from .pricing import pounds, price_journey, tax_year
from .rates import RateTable

LONDON = ZoneInfo("Europe/London")
#: statuses whose lines count (for the mileage band and duplicates): anything not abandoned
LIVE = ("submitted", "queried", "approved", "in_run", "paid")


@dataclass
class Context:
    claim: Claim
    exchange: Exchange
    rates: RateTable


class ItemErrors:
    def __init__(self):
        self.fields: dict[str, list[str]] = {}

    def add(self, index: int, field: str, message: str) -> None:
        self.fields.setdefault(f"items.{index}.{field}", []).append(message)

    def raise_if_any(self) -> None:
        if self.fields:
            raise ApiError(422, _("Some of the information given is not valid."), code="invalid", fields=self.fields)


def london_date(moment: datetime) -> date:
    """The programme's calendar day of a moment."""
    return moment.astimezone(LONDON).date()


def exchange_window(exchange: Exchange, rates: RateTable) -> tuple[date, date]:
    slack = timedelta(days=rates.days_around_exchange)
    return london_date(exchange.starts_at) - slack, london_date(exchange.ends_at) + slack


def long_date(day: date) -> str:
    """`10 March 2025`, in the reader's language (also outside a request)."""
    return format_date(day)


def build_items(session: Session, ctx: Context, inputs: list[dict]) -> list[ClaimItem]:
    errors = ItemErrors()
    first, last = exchange_window(ctx.exchange, ctx.rates)
    receipts = _own_receipts(session, ctx.claim.application_id, [i.get("receipt_id") for i in inputs])
    items: list[ClaimItem] = []
    today = datetime.now(LONDON).date()
    for index, data in enumerate(inputs):
        if data["date"] > today:
            errors.add(index, "date", _("The date must be today or in the past: claim a journey or cost once it "
                                        "has happened."))
        elif not first <= data["date"] <= last:
            errors.add(index, "date", _("The date must be between %(first)s and %(last)s, around the exchange.",
                                        first=long_date(first), last=long_date(last)))
        if data["type"] == "mileage":
            items.append(_journey(ctx, index, data, errors))
        else:
            items.append(_cost(ctx, index, data, receipts, errors))
    errors.raise_if_any()
    _price_journeys(session, ctx, items, errors)
    _check_caps(ctx, items, inputs, errors)
    errors.raise_if_any()
    return items


def _own_receipts(session: Session, application_id: int, ids) -> dict[int, Receipt]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    # FOR KEY SHARE: the clean-up of unattached receipts skips (or waits out, then no longer finds) one being taken up
    rows = session.scalars(select(Receipt).where(Receipt.id.in_(wanted), Receipt.application_id == application_id)
                           .with_for_update(read=True, key_share=True))
    return {r.id: r for r in rows}


def _journey(ctx: Context, index: int, data: dict, errors: ItemErrors) -> ClaimItem:
    tenths, limits = data["miles"], ctx.rates
    if tenths <= 0:
        errors.add(index, "miles", _("The distance must be more than 0 miles."))
    elif tenths > limits.max_miles * 10:
        errors.add(index, "miles", _("A journey cannot be more than %(miles)s miles. Check the distance.",
                                     miles=format(limits.max_miles, ",")))
    elif tenths > limits.confirm_miles_over * 10 and not data.get("confirm_long_journey"):
        errors.add(index, "miles", _("This journey is more than %(miles)s miles. Check the distance, "
                                     "and confirm it if it is right.", miles=format(limits.confirm_miles_over, ",")))
    if ctx.rates.rate_on(data["date"]) is None:
        errors.add(index, "date", _("There is no mileage rate for that date."))
    origin, destination = data["from_"].strip(), data["to"].strip()
    return ClaimItem(type="mileage", day=data["date"], from_place=origin, to_place=destination,
                     description=f"{origin} to {destination}", miles_tenths=tenths, vehicle=data["vehicle"],
                     passengers=data.get("passengers") or 0, amount_pence=0, flags="")


def _cost(ctx: Context, index: int, data: dict, receipts: dict, errors: ItemErrors) -> ClaimItem:
    amount = data["amount_pence"]
    if amount <= 0:
        errors.add(index, "amount_pence", _("The amount must be more than £0."))
    elif amount > ctx.rates.max_item_pence:
        errors.add(index, "amount_pence", _("The amount cannot be more than %(amount)s. Check it, or split it "
                                            "into the costs it is made of.", amount=pounds(ctx.rates.max_item_pence)))
    receipt_id = data.get("receipt_id")
    if receipt_id is not None and receipt_id not in receipts:
        errors.add(index, "receipt_id", _("We could not find that receipt. Upload it again."))
    lost = (data.get("lost_receipt_declaration") or "").strip() or None
    return ClaimItem(type=data["type"], day=data["date"], description=data["description"].strip(),
                     amount_pence=amount, receipt_id=receipt_id, lost_receipt_reason=None if receipt_id else lost,
                     over_cap_reason=(data.get("over_cap_reason") or "").strip() or None,
                     nights=data.get("nights") if data["type"] == "accommodation" else None, passengers=0, flags="")


def _price_journeys(session: Session, ctx: Context, items: list[ClaimItem], errors: ItemErrors) -> None:
    """Price each journey, its car miles counted in its tax year's band after those already claimed."""
    journeys = sorted((i for i in items if i.type == "mileage"), key=lambda i: i.day)
    used: dict[int, int] = {}
    for item in journeys:
        year = tax_year(item.day)
        if year not in used:
            used[year] = band_used_before(session, ctx.claim, year)
        rate = ctx.rates.rate_on(item.day)
        priced = price_journey(rate, item.vehicle, item.miles_tenths, item.passengers, used[year])
        used[year] += priced.band_tenths
        item.amount_pence, item.band_tenths, item.working = priced.pence, priced.band_tenths, priced.working
        item.flags = _add(item.flags, "" if rate.verified else "rate_unverified")
        if item.miles_tenths > ctx.rates.confirm_miles_over * 10:
            item.flags = _add(item.flags, "long_journey")


def band_used_before(session: Session, claim: Claim, year: int) -> int:
    """Car miles (tenths) in this tax year on the claimant's earlier live claims."""
    start, end = date(year, 4, 6), date(year + 1, 4, 5)
    query = (select(func.coalesce(func.sum(ClaimItem.band_tenths), 0))
             .join(Claim, Claim.id == ClaimItem.claim_id)
             .where(Claim.application_id == claim.application_id, Claim.status.in_(LIVE),
                    ClaimItem.day.between(start, end)))
    if claim.id is not None:
        query = query.where(Claim.id < claim.id)
    return int(session.scalar(query) or 0)


def _check_caps(ctx: Context, items: list[ClaimItem], inputs: list[dict], errors: ItemErrors) -> None:
    """Over its cap, a line needs the claimant's reason; it is flagged, never cut."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        cap = ctx.rates.caps.get(item.type)
        if item.type == "mileage" or cap is None:
            continue
        key = (item.type, item.day) if cap.per == "day" else (item.type, index)
        groups[key].append(index)
    for (kind, _unit), indexes in groups.items():
        cap = ctx.rates.caps[kind]
        units = (items[indexes[0]].nights or 1) if cap.per == "night" else 1
        total = sum(items[i].amount_pence for i in indexes)
        if total <= cap.pence * units:
            continue
        for i in indexes:
            items[i].flags = _add(items[i].flags, "over_cap")
        if not any(items[i].over_cap_reason for i in indexes):
            errors.add(indexes[-1], "over_cap_reason",
                       _("%(kind)s: this is over the usual limit of %(amount)s %(unit)s. Tell us why, and "
                         "finance will consider it.", amount=pounds(cap.pence), unit=CAP_UNITS[cap.per],
                         kind=ITEM_TYPES[kind]))


def flag(session: Session, claim: Claim, items: list[ClaimItem]) -> None:
    """Flags that need the other claims: the same receipt file, or the same cost, claimed twice."""
    for item in items:
        if item.lost_receipt_reason:
            item.flags = _add(item.flags, "lost_receipt")
    hashes = {i.receipt_id: None for i in items if i.receipt_id}
    if hashes:
        for receipt in session.scalars(select(Receipt).where(Receipt.id.in_(list(hashes)))):
            hashes[receipt.id] = receipt.sha256
    seen_hash: dict[str, ClaimItem] = {}
    seen_cost: dict[tuple, ClaimItem] = {}
    for item in items:
        digest = hashes.get(item.receipt_id)
        if digest and digest in seen_hash:
            item.flags = _add(item.flags, f"duplicate_receipt:{claim.id}")
        elif digest:
            other = _claim_with_receipt(session, claim, digest)
            if other:
                item.flags = _add(item.flags, f"duplicate_receipt:{other}")
            seen_hash[digest] = item
        key = (item.type, item.day, item.amount_pence)
        if item.type != "mileage" and key in seen_cost:
            item.flags = _add(item.flags, f"duplicate_item:{claim.id}")
        elif item.type != "mileage":
            other = _claim_with_cost(session, claim, key)
            if other:
                item.flags = _add(item.flags, f"duplicate_item:{other}")
            seen_cost[key] = item
    claim.flags = " ".join(sorted({f.split(":")[0] for i in items for f in i.flag_list()}))


def _claim_with_receipt(session: Session, claim: Claim, digest: str) -> int | None:
    return session.scalar(
        select(ClaimItem.claim_id).join(Receipt, Receipt.id == ClaimItem.receipt_id)
        .join(Claim, Claim.id == ClaimItem.claim_id)
        .where(Receipt.sha256 == digest, ClaimItem.claim_id != claim.id, Claim.status != "withdrawn")
        .order_by(ClaimItem.claim_id).limit(1))


def _claim_with_cost(session: Session, claim: Claim, key: tuple) -> int | None:
    kind, day, amount = key
    return session.scalar(
        select(ClaimItem.claim_id).join(Claim, Claim.id == ClaimItem.claim_id)
        .where(and_(Claim.application_id == claim.application_id, Claim.id != claim.id,
                    Claim.status != "withdrawn", ClaimItem.type == kind, ClaimItem.day == day,
                    ClaimItem.amount_pence == amount))
        .order_by(ClaimItem.claim_id).limit(1))


def _add(flags: str, code: str) -> str:
    if not code or code in flags.split():
        return flags
    return f"{flags} {code}".strip()


def as_input(item: ClaimItem) -> dict:
    """A stored line as the loaded input that would make it again (to add or remove one line)."""
    return {"type": item.type, "date": item.day, "from_": item.from_place, "to": item.to_place,
            "miles": item.miles_tenths, "vehicle": item.vehicle, "passengers": item.passengers,
            "confirm_long_journey": "long_journey" in item.flag_list(), "description": item.description,
            "amount_pence": item.amount_pence, "receipt_id": item.receipt_id,
            "lost_receipt_declaration": item.lost_receipt_reason, "over_cap_reason": item.over_cap_reason,
            "nights": item.nights}
