"""The programme catalogue: themes, exchanges, and how an exchange is shown to the world.

`exchange_data()` is the one picture of an exchange: `GET /exchanges/<id>` shows it (with a few
additions, `exchange_details()`) and `registration.exchange.published/.updated` carry it. Events and
pages take its times written as strings (`shared.times.iso`); the API takes them as stored
(`times=as_stored`) and its output schemas write them (`shared.api.DateTime`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from shared import audit
from shared.db import utcnow
from shared.errors import ApiError
from shared.events import EXCHANGE_PUBLISHED, EXCHANGE_UPDATED
from shared.outbox import emit
from shared.times import iso

from ..models import Booking, Exchange, ExchangeHost, Subtheme, Theme
from .accounts import set_exchange_hosts

LONDON = ZoneInfo("Europe/London")

#: fields of the exchange input (see schemas.ExchangeInput) that map one to one onto columns
_PLAIN_FIELDS = ("title", "starts_at", "ends_at", "booking_closes_at", "description", "time_commitment",
                 "title_cy", "description_cy", "time_commitment_cy")


def as_stored(moment: datetime | None) -> datetime | None:
    """A time left as the datetime it is, for an output schema to write."""
    return moment


def local_date(moment: datetime):
    return moment.astimezone(LONDON).date()


# --- themes --------------------------------------------------------------------------------------


def theme_tree(session: Session) -> list[dict]:
    """`[{"code", "title", "title_cy", "subthemes": [{"code", "title", "title_cy"}]}]`, in the
    programme's order."""
    themes = session.scalars(select(Theme).order_by(Theme.position, Theme.code)).all()
    subthemes = session.scalars(select(Subtheme).order_by(Subtheme.position, Subtheme.code)).all()
    return [
        {"code": theme.code, "title": theme.title, "title_cy": theme.title_cy,
         "subthemes": [{"code": s.code, "title": s.title, "title_cy": s.title_cy}
                       for s in subthemes if s.theme_code == theme.code]}
        for theme in themes
    ]


#: "not given": a theme's Welsh title left as it is
KEEP = object()


def create_theme(session: Session, code: str, title: str, subthemes: list[dict] | None = None,
                 position: int | None = None, staff=None, title_cy: str | None = None) -> Theme:
    """A new theme with its sub-themes (`[{"code", "title", "title_cy"?}]`); 409 when the code is
    taken."""
    if session.get(Theme, code) is not None:
        raise ApiError(409, _("A theme with that code already exists."), code="conflict")
    if position is None:
        position = (session.scalar(select(func.max(Theme.position))) or 0) + 1
    theme = Theme(code=code, title=title, title_cy=title_cy, position=position)
    session.add(theme)
    session.flush()
    _replace_subthemes(session, theme, subthemes or [])
    if staff is not None:
        audit.record(session, staff, "theme.created", ("theme", code), None, theme_snapshot(session, theme))
    return theme


def update_theme(session: Session, code: str, title: str | None = None, subthemes: list[dict] | None = None,
                 staff=None, title_cy=KEEP) -> Theme:
    """Change a theme's title (and its Welsh title, when given: None removes it) and, when given,
    its sub-themes (a sub-theme still used by an exchange cannot be removed: 409)."""
    theme = session.get(Theme, code)
    if theme is None:
        raise ApiError(404, _("There is no theme with that code."), code="not_found")
    before = theme_snapshot(session, theme)
    if title is not None:
        theme.title = title
    if title_cy is not KEEP:
        theme.title_cy = title_cy
    if subthemes is not None:
        _replace_subthemes(session, theme, subthemes)
    session.flush()
    if staff is not None:
        audit.record(session, staff, "theme.changed", ("theme", code), before, theme_snapshot(session, theme))
    return theme


def theme_snapshot(session: Session, theme: Theme) -> dict:
    """A theme as the audit log records it."""
    subthemes = session.scalars(select(Subtheme).where(Subtheme.theme_code == theme.code).order_by(Subtheme.position))
    return {"title": theme.title, "title_cy": theme.title_cy,
            "subthemes": [f"{s.code}: {s.title}" + (f" / {s.title_cy}" if s.title_cy else "") for s in subthemes]}


def _replace_subthemes(session: Session, theme: Theme, wanted: list[dict]) -> None:
    existing = {s.code: s for s in session.scalars(select(Subtheme).where(Subtheme.theme_code == theme.code))}
    keep = {item["code"] for item in wanted}
    for position, item in enumerate(wanted, start=1):
        other = session.get(Subtheme, item["code"])
        if other is not None and other.theme_code != theme.code:
            raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                           fields={f"subthemes.{position - 1}.code": [_("That sub-theme code belongs to another theme.")]})
        if item["code"] in existing:
            existing[item["code"]].title = item["title"]
            existing[item["code"]].title_cy = item.get("title_cy")
            existing[item["code"]].position = position
        else:
            session.add(Subtheme(code=item["code"], theme_code=theme.code, title=item["title"],
                                 title_cy=item.get("title_cy"), position=position))
    gone = [code for code in existing if code not in keep]
    if gone:
        used = session.scalar(select(func.count()).select_from(Exchange).where(Exchange.subtheme_code.in_(gone)))
        if used:
            raise ApiError(409, _("A sub-theme that exchanges use cannot be removed."), code="conflict")
        session.execute(delete(Subtheme).where(Subtheme.code.in_(gone)))
    session.flush()


# --- how an exchange is shown --------------------------------------------------------------------


def is_closed(exchange: Exchange, now: datetime) -> bool:
    return exchange.closed or now >= exchange.booking_closes_at


def exchange_status(exchange: Exchange, now: datetime | None = None) -> str:
    """open | full | closed (closed early, or past its booking deadline)."""
    if is_closed(exchange, now or utcnow()):
        return "closed"
    return "full" if exchange.confirmed_count >= exchange.capacity else "open"


def waitlist_lengths(session: Session, exchange_ids) -> dict[int, int]:
    rows = session.execute(
        select(Booking.exchange_id, func.count())
        .where(Booking.exchange_id.in_(list(exchange_ids)), Booking.status == "waitlisted")
        .group_by(Booking.exchange_id)
    )
    return dict(rows.all())


def host_accounts(session: Session, exchange_ids) -> dict[int, list[str]]:
    accounts: dict[int, list[str]] = {}
    rows = session.execute(select(ExchangeHost.exchange_id, ExchangeHost.email)
                           .where(ExchangeHost.exchange_id.in_(list(exchange_ids)))
                           .order_by(ExchangeHost.email))
    for exchange_id, email in rows:
        accounts.setdefault(exchange_id, []).append(email)
    return accounts


def _session_data(starts_at: datetime | None, url: str | None, times=iso) -> dict | None:
    return None if starts_at is None else {"starts_at": times(starts_at), "url": url}


def _location(exchange: Exchange) -> dict:
    return {"site": exchange.site, "site_cy": exchange.site_cy, "town": exchange.town}


def _outcomes(lines: str | None) -> list[str]:
    return [line for line in (lines or "").splitlines() if line.strip()]


def exchange_data(exchange: Exchange, waitlist_length: int, now: datetime | None = None,
                  accounts: list[str] | None = None, times=iso) -> dict:
    """The exchange as the contract shows it; `host.accounts` only when `accounts` is given
    (events and staff views, never the public API). `times` writes each time."""
    host = {"name": exchange.host_name}
    if accounts is not None:
        host["accounts"] = accounts
    return {
        "id": exchange.id,
        "title": exchange.title,
        "title_cy": exchange.title_cy,
        "theme": exchange.theme_code,
        "subtheme": exchange.subtheme_code,
        "host": host,
        "location": _location(exchange),
        "starts_at": times(exchange.starts_at),
        "ends_at": times(exchange.ends_at),
        "capacity": exchange.capacity,
        "places_left": max(exchange.capacity - exchange.confirmed_count, 0),
        "waitlist_length": waitlist_length,
        "booking_closes_at": times(exchange.booking_closes_at),
        "status": exchange_status(exchange, now),
        "description": exchange.description,
        "description_cy": exchange.description_cy,
        "learning_outcomes": _outcomes(exchange.learning_outcomes),
        "learning_outcomes_cy": _outcomes(exchange.learning_outcomes_cy) or None,
        "orientation": _session_data(exchange.orientation_starts_at, exchange.orientation_url, times),
        "reflection": _session_data(exchange.reflection_starts_at, exchange.reflection_url, times),
    }


def exchange_details(session: Session, exchange: Exchange, with_accounts: bool = False, times=iso) -> dict:
    """The exchange as `GET /exchanges/<id>` and its page show it: `exchange_data()` plus kx's
    additions (its time commitment, reserved places, and whether it is a draft)."""
    accounts = host_accounts(session, [exchange.id]).get(exchange.id, []) if with_accounts else None
    data = exchange_data(exchange, waitlist_lengths(session, [exchange.id]).get(exchange.id, 0), accounts=accounts,
                         times=times)
    data["time_commitment"] = exchange.time_commitment
    data["time_commitment_cy"] = exchange.time_commitment_cy
    data["reserved_places"] = {"experience": exchange.reserved_experience, "occupation": exchange.reserved_occupation,
                               "until": times(exchange.reserved_until)}
    data["draft"] = exchange.draft
    return data


#: which drafts a reader is shown: none (False, the public), all (True, the programme team), or
#: those whose ids are given (the hosts of them)
Drafts = bool | tuple[int, ...]


def exchange_or_404(session: Session, exchange_id: int, drafts: Drafts = False) -> Exchange:
    """The exchange; 404 when there is none, or when it is a draft `drafts` does not show (to
    the public a draft is as unknown as a number never used)."""
    exchange = session.get(Exchange, exchange_id)
    if exchange is None or (exchange.draft and not shows_draft(drafts, exchange.id)):
        raise ApiError(404, _("There is no exchange with that number."), code="not_found")
    return exchange


def shows_draft(drafts: Drafts, exchange_id: int) -> bool:
    return drafts is True or (not isinstance(drafts, bool) and exchange_id in drafts)


def drafts_for(staff) -> Drafts:
    """The drafts a member of staff (or None, the public) is shown: the programme team every one,
    a host those they host."""
    if staff is None:
        return False
    return True if staff.has("admin") else tuple(staff.scopes("host"))


def exchange_brief(exchange: Exchange) -> dict:
    """What a booking event says of its exchange, so a message needs no lookup."""
    return {
        "title": exchange.title,
        "title_cy": exchange.title_cy,
        "starts_at": iso(exchange.starts_at),
        "ends_at": iso(exchange.ends_at),
        "location": _location(exchange),
        "host": {"name": exchange.host_name},
        "orientation": _session_data(exchange.orientation_starts_at, exchange.orientation_url),
        "reflection": _session_data(exchange.reflection_starts_at, exchange.reflection_url),
    }

#: orientation and reflection sessions last an hour (programme.md)
SESSION_LENGTH = timedelta(hours=1)


@dataclass(frozen=True)
class ExchangeFilter:
    """`GET /exchanges` filters: theme code, local date, status; `town` and `ids` are kx additions.
    `drafts`: which drafts are listed (none unless said, see `Drafts`)."""

    theme: str | None = None
    date: object | None = None
    status: str | None = None
    town: str | None = None
    ids: tuple[int, ...] | None = None
    drafts: Drafts = False


def list_exchanges(session: Session, filters: ExchangeFilter = ExchangeFilter(), now: datetime | None = None,
                   with_accounts: bool = False, times=iso) -> list[dict]:
    """Exchanges as `exchange_data()` shows them, with `draft`, by start time, filtered; drafts
    only as `filters.drafts` says."""
    now = now or utcnow()
    query = select(Exchange).order_by(Exchange.starts_at, Exchange.id)
    if filters.drafts is False:
        query = query.where(Exchange.draft.is_(False))
    elif filters.drafts is not True:
        query = query.where(Exchange.draft.is_(False) | Exchange.id.in_(filters.drafts))
    if filters.theme:
        # "T1" matches the theme, "T1.2" the sub-theme
        query = query.where((Exchange.theme_code == filters.theme) | (Exchange.subtheme_code == filters.theme))
    if filters.town:
        query = query.where(func.lower(Exchange.town) == filters.town.lower())
    if filters.ids is not None:
        query = query.where(Exchange.id.in_(filters.ids))
    exchanges = [e for e in session.scalars(query)
                 if (filters.date is None or local_date(e.starts_at) == filters.date)
                 and (filters.status is None or exchange_status(e, now) == filters.status)]
    ids = [e.id for e in exchanges]
    lengths = waitlist_lengths(session, ids)
    accounts = host_accounts(session, ids) if with_accounts else {}
    return [{**exchange_data(e, lengths.get(e.id, 0), now, accounts.get(e.id, []) if with_accounts else None, times),
             "draft": e.draft} for e in exchanges]


def exchange_numbers(session: Session, now: datetime | None = None, times=iso) -> list[dict]:
    """The programme team's numbers: per exchange, capacity, confirmed, waiting, cancelled, places
    left, status, and whether it is a draft (drafts included)."""
    now = now or utcnow()
    counts: dict[tuple[int, str], int] = {
        (exchange_id, status): n for exchange_id, status, n in session.execute(
            select(Booking.exchange_id, Booking.status, func.count()).group_by(Booking.exchange_id, Booking.status))
    }
    return [
        {"id": e.id, "title": e.title, "title_cy": e.title_cy, "theme": e.theme_code, "starts_at": times(e.starts_at),
         "capacity": e.capacity,
         "confirmed": counts.get((e.id, "confirmed"), 0), "waitlisted": counts.get((e.id, "waitlisted"), 0),
         "cancelled": counts.get((e.id, "cancelled"), 0), "places_left": max(e.capacity - e.confirmed_count, 0),
         "status": exchange_status(e, now), "closed_early": e.closed, "draft": e.draft}
        for e in session.scalars(select(Exchange).order_by(Exchange.starts_at, Exchange.id))
    ]


# --- writing exchanges ---------------------------------------------------------------------------


def lock_exchanges(session: Session, exchange_ids) -> dict[int, Exchange]:
    """The exchanges, locked for this transaction, always in id order so that two transactions
    locking several never deadlock. On PostgreSQL `SELECT ... FOR UPDATE`; on SQLite the
    transaction began IMMEDIATE and already excludes every other writer (shared/db.py)."""
    rows = session.scalars(
        select(Exchange).where(Exchange.id.in_(sorted(set(exchange_ids)))).order_by(Exchange.id)
        .with_for_update().execution_options(populate_existing=True)
    )
    return {exchange.id: exchange for exchange in rows}


def lock_exchange(session: Session, exchange_id: int) -> Exchange:
    exchange = lock_exchanges(session, [exchange_id]).get(exchange_id)
    if exchange is None:
        raise ApiError(404, _("There is no exchange with that number."), code="not_found")
    return exchange


def create_exchange(session: Session, fields: dict, now: datetime | None = None, staff=None) -> Exchange:
    """A new exchange from `fields` shaped as `schemas.ExchangeInput` loads them (the contract's
    exchange, plus `time_commitment`, `closed`, `reserved_places` and `draft`); emits
    `registration.exchange.published`, unless it is a draft (`publish_draft` does, later)."""
    now = now or utcnow()
    exchange = Exchange(confirmed_count=0, waitlist_length=0, closed=False, created_at=now, updated_at=now,
                        reserved_experience=0, reserved_occupation=0, description="", learning_outcomes="",
                        time_commitment="", draft=bool(fields.get("draft", False)))
    _apply_fields(session, exchange, fields)
    session.add(exchange)
    session.flush()
    set_exchange_hosts(session, exchange.id, (fields.get("host") or {}).get("accounts") or [], staff)
    publish(session, exchange, EXCHANGE_PUBLISHED, now)
    if staff is not None:
        audit.record(session, staff, "exchange.created", ("exchange", exchange.id), None,
                     exchange_snapshot(session, exchange))
    return exchange


def exchange_snapshot(session: Session, exchange: Exchange) -> dict:
    """An exchange as the audit log records it: what the programme team can change."""
    return {
        **{name: getattr(exchange, name) for name in (*_PLAIN_FIELDS, "capacity", "closed", "draft", "host_name", "site",
                                                       "site_cy", "learning_outcomes_cy", "town", "theme_code",
                                                       "subtheme_code", "reserved_experience",
                                                       "reserved_occupation", "reserved_until")},
        "host_accounts": host_accounts(session, [exchange.id]).get(exchange.id, []),
    }


def change_exchange(session: Session, exchange: Exchange, fields: dict, now: datetime, staff=None) -> None:
    """Change some of a locked exchange's fields (as `create_exchange` takes them; absent ones
    stay). Capacity below the confirmed bookings is refused (409). `allocation.update_exchange`
    is the whole operation: a change can free places for the waiting list."""
    if "capacity" in fields and fields["capacity"] < exchange.confirmed_count:
        raise capacity_conflict(exchange)
    _apply_fields(session, exchange, fields)
    exchange.updated_at = now
    session.flush()
    if "host" in fields and "accounts" in (fields["host"] or {}):
        # the accounts that gain or lose it have new scopes (accounts.py)
        set_exchange_hosts(session, exchange.id, fields["host"]["accounts"] or [], staff)


def set_closed(session: Session, exchange_id: int, closed: bool, now: datetime | None = None, staff=None) -> Exchange:
    """Close an exchange to new applications early, or reopen it (its deadline still applies).
    Emits `registration.exchange.updated` when it changes."""
    now = now or utcnow()
    exchange = lock_exchange(session, exchange_id)
    if exchange.closed != closed:
        exchange.closed = closed
        exchange.updated_at = now
        session.flush()
        publish(session, exchange, EXCHANGE_UPDATED, now)
        if staff is not None:
            audit.record(session, staff, "exchange.closed" if closed else "exchange.reopened",
                         ("exchange", exchange.id), {"closed": not closed}, {"closed": closed})
    return exchange


def publish_draft(session: Session, exchange_id: int, now: datetime | None = None, staff=None) -> Exchange:
    """Publish a draft: from now on it is in the catalogue and open for booking, and
    `registration.exchange.published` tells the other services of it, once. Publishing an exchange
    already published changes nothing and emits nothing. Audited `exchange.published`."""
    now = now or utcnow()
    exchange = lock_exchange(session, exchange_id)
    if exchange.draft:
        exchange.draft, exchange.updated_at = False, now
        publish(session, exchange, EXCHANGE_PUBLISHED, now)
        if staff is not None:
            audit.record(session, staff, "exchange.published", ("exchange", exchange.id), {"draft": True},
                         {"draft": False})
    return exchange


def capacity_conflict(exchange: Exchange) -> ApiError:
    return ApiError(409, _("The capacity cannot go below the %(n)d confirmed bookings. Cancel bookings first.",
                           n=exchange.confirmed_count), code="capacity_below_confirmed")


def republish_all(session: Session, now: datetime | None = None) -> int:
    """Every exchange published again as it is now (`registration.exchange.updated`), for `kx
    exchanges republish`: a service whose copy of the exchanges gained a field after they were
    published (notifications' theme, notifications_0009) takes it from these. Consumers keep the
    newest event of each exchange and act only on what changed (times that did not move reschedule
    nothing), so publishing again changes nothing else. Returns how many."""
    now = now or utcnow()
    exchanges = session.scalars(select(Exchange).order_by(Exchange.id)).all()
    for exchange in exchanges:
        publish(session, exchange, EXCHANGE_UPDATED, now)
    return len(exchanges)


def publish(session: Session, exchange: Exchange, event_type: str, now: datetime) -> None:
    """Tell the other services of the exchange as it is now; nothing for a draft, which no one
    outside registration knows of until it is published (`publish_draft`)."""
    session.flush()
    if exchange.draft:
        return
    lengths = waitlist_lengths(session, [exchange.id])
    accounts = host_accounts(session, [exchange.id]).get(exchange.id, [])
    emit(session, event_type, exchange_data(exchange, lengths.get(exchange.id, 0), now, accounts))


def _apply_fields(session: Session, exchange: Exchange, fields: dict) -> None:
    for name in _PLAIN_FIELDS:
        if name in fields:
            setattr(exchange, name, fields[name])
    if "capacity" in fields:
        exchange.capacity = fields["capacity"]
    if "closed" in fields:
        exchange.closed = fields["closed"]
    if "draft" in fields and bool(fields["draft"]) != exchange.draft:
        # one way to publish (`publish_draft`); nothing goes back to being a draft once people may know of it
        raise ApiError(409, _("A draft is published by its own action, and a published exchange cannot go back "
                              "to being a draft."), code="draft_change")
    if "learning_outcomes" in fields:
        exchange.learning_outcomes = "\n".join(line.strip() for line in fields["learning_outcomes"] if line.strip())
    if "learning_outcomes_cy" in fields:
        exchange.learning_outcomes_cy = "\n".join(
            line.strip() for line in fields["learning_outcomes_cy"] or [] if line.strip()) or None
    if "host" in fields and fields["host"].get("name") is not None:
        exchange.host_name = fields["host"]["name"]
    if "location" in fields:
        exchange.site = fields["location"].get("site", exchange.site)
        exchange.town = fields["location"].get("town", exchange.town)
        exchange.site_cy = fields["location"].get("site_cy", exchange.site_cy)
    for stage in ("orientation", "reflection"):
        if stage in fields:
            value = fields[stage] or {}
            setattr(exchange, f"{stage}_starts_at", value.get("starts_at"))
            setattr(exchange, f"{stage}_url", value.get("url"))
    if "reserved_places" in fields:
        reserved = fields["reserved_places"] or {}
        exchange.reserved_experience = reserved.get("experience", 0)
        exchange.reserved_occupation = reserved.get("occupation", 0)
        exchange.reserved_until = reserved.get("until")
    if "theme" in fields or "subtheme" in fields:
        _set_theme(session, exchange, fields.get("theme", exchange.theme_code),
                   fields.get("subtheme", exchange.subtheme_code))
    _check_consistent(exchange)


def _set_theme(session: Session, exchange: Exchange, theme_code: str, subtheme_code: str | None) -> None:
    if session.get(Theme, theme_code) is None:
        raise _invalid("theme", _("There is no theme with that code."))
    if subtheme_code is not None:
        subtheme = session.get(Subtheme, subtheme_code)
        if subtheme is None or subtheme.theme_code != theme_code:
            raise _invalid("subtheme", _("There is no such sub-theme in that theme."))
    exchange.theme_code = theme_code
    exchange.subtheme_code = subtheme_code


def _check_consistent(exchange: Exchange) -> None:
    problems = exchange_problems({name: getattr(exchange, name) for name in _TIMED_FIELDS})
    if problems:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid", fields=problems)


#: what `exchange_problems` reads, as the Exchange row names it
_TIMED_FIELDS = ("starts_at", "ends_at", "booking_closes_at", "orientation_starts_at", "reflection_starts_at",
                 "capacity", "reserved_experience", "reserved_occupation", "reserved_until")


def exchange_problems(values: dict) -> dict[str, list[str]]:
    """Every problem between an exchange's fields at once (`{API field path: [message]}`), so that
    the form shows them all together; a value that is None (not given, or not readable) is not
    compared. Keys of `values` are the Exchange row's names (`_TIMED_FIELDS`)."""
    get = values.get
    problems: dict[str, list[str]] = {}

    def before(first, second, field, message):
        if get(first) is not None and get(second) is not None and not get(first) < get(second):
            problems.setdefault(field, [message])

    before("starts_at", "ends_at", "ends_at", _("The end must be after the start."))
    before("booking_closes_at", "starts_at", "booking_closes_at",
           _("Booking must close before the exchange starts."))
    if get("orientation_starts_at") is not None and get("starts_at") is not None \
            and get("orientation_starts_at") + SESSION_LENGTH > get("starts_at"):
        problems["orientation.starts_at"] = [_("The orientation session must end before the exchange starts.")]
    if get("reflection_starts_at") is not None and get("ends_at") is not None \
            and get("reflection_starts_at") < get("ends_at"):
        problems["reflection.starts_at"] = [_("The reflection session must start after the exchange ends.")]
    reserved = (get("reserved_experience") or 0) + (get("reserved_occupation") or 0)
    if get("capacity") is not None and reserved > get("capacity"):
        problems["reserved_places"] = [_("More places are reserved than the exchange has.")]
    if reserved and get("reserved_until") is None:
        problems["reserved_places.until"] = [_("Give the date when reserved places are released.")]
    return problems


def _invalid(field: str, message: str) -> ApiError:
    return ApiError(422, _("Some of the information given is not valid."), code="invalid", fields={field: [message]})
