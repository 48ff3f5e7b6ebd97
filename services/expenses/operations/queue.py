"""The finance queue and dashboard: filters, sorting, pages and totals, computed in the database."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from shared.db import database_id
from shared.errors import ApiError

from ..models import Claim, Claimant, Exchange
from ..models.claim import STATUSES
from ..vocabularies import UNKNOWN, untitled
from .items import london_date

FLAGS = ("over_cap", "lost_receipt", "duplicate_receipt", "duplicate_item", "long_journey", "rate_unverified",
         "bank_details_changed")
#: the flag kept as a time on the claim rather than with its lines' flags
BANK_CHANGED = "bank_details_changed"
SORTS = {"submitted": Claim.submitted_at, "total": Claim.total_pence, "id": Claim.id, "status": Claim.status}
#: what the queue shows when no status is chosen: claims finance has to act on
DEFAULT_STATUSES = ("submitted",)


@dataclass(frozen=True)
class Filter:
    statuses: tuple[str, ...]
    exchange_id: int | None = None
    theme: str | None = None
    flag: str | None = None
    sort: str = "submitted"
    descending: bool = False
    page: int = 1
    per_page: int = 50

    @classmethod
    def from_args(cls, args) -> Filter:
        errors: dict[str, list[str]] = {}
        status = args.get("status") or ""
        statuses = tuple(s for s in status.split(",") if s) if status != "all" else tuple(
            s for s in STATUSES if s != "draft")
        if any(s not in STATUSES for s in statuses):
            errors["status"] = [_("Must be one of %(choices)s (or all).", choices=", ".join(STATUSES))]
        exchange = args.get("exchange") or args.get("exchange_id")
        if exchange and database_id(exchange) is None:
            errors["exchange"] = [_("Must be an exchange number.")]
        flag = args.get("flag") or None
        if flag and flag not in (*FLAGS, "any"):
            errors["flag"] = [_("Must be one of %(choices)s or any.", choices=", ".join(FLAGS))]
        sort = args.get("sort") or "submitted"
        descending = sort.startswith("-")
        if sort.lstrip("-") not in SORTS:
            errors["sort"] = [_("Must be one of %(choices)s (with - for descending).", choices=", ".join(SORTS))]
        page, per_page = args.get("page") or "1", args.get("per_page") or "50"
        if not page.isdecimal() or not 1 <= int(page) <= 100000:
            errors["page"] = [_("Must be a page number from 1.")]
        if not per_page.isdecimal() or not 1 <= int(per_page) <= 200:
            errors["per_page"] = [_("Must be between 1 and 200.")]
        if errors:
            raise ApiError(422, _("Some of the information given is not valid."), code="invalid", fields=errors)
        return cls(statuses=statuses or DEFAULT_STATUSES, exchange_id=database_id(exchange) if exchange else None,
                   theme=(args.get("theme") or None), flag=flag, sort=sort.lstrip("-"), descending=descending,
                   page=int(page), per_page=int(per_page))


def _where(query, f: Filter):
    query = query.where(Claim.status.in_(f.statuses))
    if f.exchange_id is not None:
        query = query.where(Claim.exchange_id == f.exchange_id)
    if f.theme:
        query = query.where(Claim.exchange_id.in_(select(Exchange.id).where(Exchange.theme == f.theme)))
    if f.flag == "any":
        query = query.where(or_(Claim.flags != "", Claim.bank_changed_at.is_not(None)))
    elif f.flag == BANK_CHANGED:
        query = query.where(Claim.bank_changed_at.is_not(None))
    elif f.flag:
        query = query.where(Claim.flags.contains(f.flag))
    return query


def page(session: Session, f: Filter):
    """(rows of (claim, claimant name, exchange title, theme), count, total pence) for the filter."""
    column = SORTS[f.sort]
    order = (column.desc(), Claim.id.desc()) if f.descending else (column.asc(), Claim.id.asc())
    rows = session.execute(_where(
        select(Claim, Claimant.name, Exchange.title, Exchange.theme)
        .outerjoin(Claimant, Claimant.application_id == Claim.application_id)
        .outerjoin(Exchange, Exchange.id == Claim.exchange_id), f)
        .order_by(*order).limit(f.per_page).offset((f.page - 1) * f.per_page)).all()
    count, total = session.execute(_where(select(func.count(Claim.id), func.coalesce(func.sum(Claim.total_pence), 0)),
                                          f)).one()
    return rows, int(count), int(total)


def dashboard(session: Session) -> dict:
    """Claimed, approved and paid (pence), by exchange, theme and month of submission."""
    rows = session.execute(
        select(Claim.status, Claim.total_pence, Claim.approved_pence, Claim.submitted_at, Claim.exchange_id,
               Exchange.title, Exchange.theme)
        .outerjoin(Exchange, Exchange.id == Claim.exchange_id)
        .where(Claim.status.not_in(("draft", "withdrawn")))).all()
    blank = lambda: {"claims": 0, "claimed_pence": 0, "approved_pence": 0, "paid_pence": 0}  # noqa: E731
    by = {"exchange": defaultdict(blank), "theme": defaultdict(blank), "month": defaultdict(blank)}
    titles: dict[int, str] = {}
    total = blank()
    for status, claimed, approved, submitted_at, exchange_id, title, theme in rows:
        titles[exchange_id] = title or untitled(exchange_id)
        payable = approved if approved is not None else claimed
        month = london_date(submitted_at).strftime("%Y-%m") if submitted_at else UNKNOWN
        for bucket in (by["exchange"][exchange_id], by["theme"][theme or UNKNOWN], by["month"][month], total):
            bucket["claims"] += 1
            bucket["claimed_pence"] += claimed
            if status in ("approved", "in_run", "paid"):
                bucket["approved_pence"] += payable
            if status == "paid":
                bucket["paid_pence"] += payable
    return {
        "total": total,
        "by_exchange": [{"exchange_id": k, "title": titles[k], **v} for k, v in sorted(by["exchange"].items())],
        "by_theme": [{"theme": k, **v} for k, v in sorted(by["theme"].items())],
        "by_month": [{"month": k, **v} for k, v in sorted(by["month"].items())],
    }
