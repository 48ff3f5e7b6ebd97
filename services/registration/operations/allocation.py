"""Allocation: first come, first served in commit order, with a dense waiting list.

An application takes its place with one guarded statement on the exchange's row (`UPDATE
exchanges SET confirmed_count = confirmed_count + 1 or waitlist_length = waitlist_length + 1 ...
RETURNING`): that statement both locks the row (PostgreSQL; on SQLite the transaction began
IMMEDIATE and already excludes every other writer) and decides, from the committed numbers, so
no other transaction can change them until this one commits. In a rush every application waits
for that lock, so only what must see the decided place runs after it: the booking's insert (which
also answers "already booked"), the event's outbox row, built and validated beforehand, and the
commit. The guard takes the plain case only: an open exchange holding no reserved places, whose
waiting list is empty or which is full. Anything else locks the row with `SELECT ... FOR UPDATE`
(`catalogue.lock_exchange`) and decides in Python. Several exchanges are taken in id order, so two
applications never deadlock.

Behind that, the database refuses an overbooking by itself: `exchanges.confirmed_count <=
capacity` is a CHECK, and the counters move by SQL arithmetic (`confirmed_count + 1`), never by
writing back a value read earlier. One active booking per person per exchange is a unique index
(`uq_bookings_active_person`).

Reserved places: an exchange may hold `reserved_experience` places for experts by experience and
`reserved_occupation` for experts by occupation ("both" counts as either) until `reserved_until`.
While they hold, a place is free to an applicant only if it is not needed to keep another group's
reservation. The waiting list is promoted in order, skipping those no free place is open to.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import gettext as _
from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    case,
    exists,
    func,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from shared import audit
from shared.db import UtcDateTime, is_sqlite, utcnow
from shared.errors import ApiError
from shared.events import (
    APPLICATION_SUBMITTED,
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_PROMOTED,
    BOOKING_WAITLISTED,
    EXCHANGE_UPDATED,
    make_envelope,
)
from shared.link_seal import seal
from shared.manage_tokens import holder, new_token, token_hash
from shared.outbox import emit, emit_built

from ..models import ACTIVE, ACTIVE_CONDITION, Application, Booking, Exchange
from .catalogue import (
    SESSION_LENGTH,
    capacity_conflict,
    change_exchange,
    exchange_brief,
    exchange_snapshot,
    is_closed,
    local_date,
    lock_exchange,
    lock_exchanges,
    publish,
)
from .tokens import NOT_FOUND, application_for_token

#: the most exchanges one application may name
MAX_SELECTIONS = 25
#: a line manager's permission: given, or no line manager to ask (an expert by experience who is
#: not employed, someone self-employed); `not_applicable` is the older word for the second
LINE_MANAGER_ANSWERS = ("yes", "no_line_manager", "not_applicable")


@dataclass(frozen=True)
class Applicant:
    """Who is applying, as the application form or `POST /applications` gives it."""

    name: str
    email: str
    participant_type: str  # occupation | experience | both
    language: str  # en | cy
    organisation: str = ""
    role: str = ""
    stakeholder_group: str = ""
    access_needs: str = ""


@dataclass(frozen=True)
class BookingOutcome:
    """What happened on one chosen exchange.

    `status` is confirmed | waitlisted | closed | already_booked; `booking` is the new booking
    (None for closed and already_booked); `waitlist_position` only when waitlisted.
    """

    exchange_id: int
    status: str
    waitlist_position: int | None = None
    booking: Booking | None = None


@dataclass(frozen=True)
class ApplicationResult:
    """The answer to an application: what `POST /applications` returns (outputs.AppliedOutput),
    and what the confirmation page shows. `manage_token` exists only here: the database keeps its hash."""

    application: Application
    #: None when the application joined the person's by email alone (`link` says why)
    manage_token: str | None
    bookings: list[BookingOutcome]
    warnings: list[dict] = field(default_factory=list)
    #: shown: `manage_token` is the person's link (a new person, or the link's holder applied);
    #: emailed: joined by email, the link renewed and emailed, the old one no longer works;
    #: unchanged: joined by email, nothing booked, the link as it was
    link: str = "shown"

    @property
    def application_id(self) -> int:
        return self.application.id


def apply(session: Session, applicant: Applicant, exchange_ids: list[int], *, line_manager_permission: str,
          will_attend_sessions: bool, privacy_notice_accepted: bool, now: datetime | None = None,
          manage_token: str | None = None) -> ApplicationResult:
    """Apply for the exchanges named (in the order given; a repeated id counts once).

    For each: `already_booked` when this person (case-folded email) already holds an active
    booking on it; `closed` when it is closed or past its deadline; `confirmed` when a place is
    free to this applicant; else `waitlisted` at the end of the queue. Always creates the
    application and its manage token, even when nothing could be booked. Emits
    `registration.booking.confirmed` / `.waitlisted` per new booking, with `manage_token_sealed`.

    Refuses (422, nothing written) an empty selection, more than 25, an unknown exchange id, a
    missing commitment or an unaccepted privacy notice: the API's schema says the same first. A
    draft exchange is refused as an unknown one.

    With `manage_token` (the person's one link, as their manage page holds it) nothing new is
    issued: the new bookings join the application that link opens, whose answers become the ones
    given now, and the answer carries the same token. That keeps one person one link and one
    manage page, and every other service's projection (keyed on the application) unchanged.
    422 when the link opens nothing, or when the email is another person's (case-folded).

    Without `manage_token`, by an email (case-folded) that already has an application: the new
    bookings join that one too (one person, one manage page), but the answer never carries a
    working link, since whoever sent it may not own the address. The person's answers stay as they
    gave them (only the link's holder changes them), and if anything was booked their link is
    renewed: the new one goes sealed on this application's events, so its one email carries it
    and says the old one no longer works (`link` "emailed"); with nothing booked nothing changes
    ("unchanged"). Whoever holds a link is then always the owner of the address: a first
    application made by someone else with that address loses its link at the owner's first.
    """
    now = now or utcnow()
    ids = list(dict.fromkeys(exchange_ids))
    _check_application(ids, line_manager_permission, will_attend_sessions, privacy_notice_accepted)

    # Everything that needs no lock happens first: in a rush everyone queued behind the lock
    # waits for whatever runs under it.
    answers = dict(
        name=applicant.name.strip(), email=applicant.email.strip(),
        email_folded=applicant.email.strip().casefold(), organisation=applicant.organisation, role=applicant.role,
        participant_type=applicant.participant_type, stakeholder_group=applicant.stakeholder_group or "",
        language=applicant.language, access_needs=applicant.access_needs or "",
        line_manager_permission=line_manager_permission, will_attend_sessions=will_attend_sessions,
        privacy_notice_accepted_at=now,
    )
    known_hash = None  # the person's link before this application, when it joins theirs by email
    if manage_token is not None:
        token, application = manage_token, _joined(session, manage_token, answers)
    else:
        token = new_token()
        application = _person(session, answers["email_folded"])
        if application is None:
            values = dict(answers, manage_token_hash=token_hash(token), created_at=now)
            # A Core insert: every application pays for it, and the unit of work would cost several times more.
            application = Application(id=session.execute(INSERT_APPLICATION, values).scalar_one(), **values)
        else:
            known_hash, application.manage_token_hash = application.manage_token_hash, token_hash(token)
    exchanges = {exchange.id: exchange for exchange in session.scalars(READ_EXCHANGES, {"ids": ids})}
    unknown = [str(i) for i in ids if i not in exchanges]
    if unknown:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"exchange_ids": [_("There is no exchange %(ids)s.", ids=", ".join(unknown))]})
    # In id order, so that two applications locking several exchanges never deadlock.
    sealed = sealed_token(session, token)
    decided = {exchange_id: _allocate(session, application, exchanges[exchange_id], sealed, now)
               for exchange_id in sorted(ids)}
    outcomes = [decided[exchange_id] for exchange_id in ids]
    link = "shown"
    if known_hash is not None:
        # Joined by email alone: the new link goes only to the address (its events carry it sealed),
        # never to whoever sent this. With nothing booked there is nothing to send: the link stays.
        if any(o.booking is not None for o in outcomes):
            link = "emailed"
        else:
            application.manage_token_hash, link = known_hash, "unchanged"
        token = None
    _announce_application(session, application, exchanges, outcomes, sealed, link_replaced=link == "emailed")
    chosen = [exchanges[o.exchange_id] for o in outcomes if o.status != "closed"]
    return ApplicationResult(application, token, outcomes, clash_warnings(chosen), link)


def cancel_booking(session: Session, token: str, exchange_id: int, now: datetime | None = None) -> Booking:
    """The applicant (by manage token) cancels their booking on an exchange.

    A confirmed place goes to the first on the waiting list who fits, in this transaction
    (`registration.booking.promoted`); the queue closes up (1, 2, 3...). Emits
    `registration.booking.cancelled` with `manage_token_sealed`. Cancelling again changes nothing and
    returns the cancelled booking. 404 for an unknown token or no booking on that exchange."""
    now = now or utcnow()
    application = application_for_token(session, token)
    exchange = lock_exchanges(session, [exchange_id]).get(exchange_id)
    booking = _latest_booking(session, application.id, exchange_id) if exchange is not None else None
    if booking is None:
        raise ApiError(404, _("There is no booking on that exchange."), code="not_found")
    if booking.status == "cancelled":
        return booking
    was_confirmed = booking.status == "confirmed"
    booking.status, booking.waitlist_position, booking.updated_at = "cancelled", None, now
    session.flush()
    if was_confirmed:
        _move_counters(session, exchange, confirmed=-1)
    else:
        _move_counters(session, exchange, waiting=-1)
    _announce(session, BOOKING_CANCELLED, booking, application, exchange, sealed_token(session, token))
    promote_waitlisted(session, exchange, now)
    return booking


def set_capacity(session: Session, exchange_id: int, capacity: int, now: datetime | None = None) -> Exchange:
    """Change an exchange's capacity. Below its confirmed bookings: 409. Raising it promotes as
    many from the waiting list as now fit. Emits `registration.exchange.updated`."""
    now = now or utcnow()
    exchange = lock_exchange(session, exchange_id)
    if capacity < exchange.confirmed_count:
        raise capacity_conflict(exchange)
    if capacity != exchange.capacity:
        exchange.capacity, exchange.updated_at = capacity, now
        session.flush()
        promote_waitlisted(session, exchange, now)
        publish(session, exchange, EXCHANGE_UPDATED, now)
    return exchange


def update_exchange(session: Session, exchange_id: int, fields: dict, now: datetime | None = None,
                    staff=None) -> Exchange:
    """Change some of an exchange's fields (as `create_exchange` takes them; absent ones stay).

    Capacity below the confirmed bookings is refused (409); more capacity, or reservations
    released, promotes from the waiting list in this transaction. Emits
    `registration.booking.promoted` for each promotion, then `registration.exchange.updated`."""
    now = now or utcnow()
    exchange = lock_exchange(session, exchange_id)
    before = exchange_snapshot(session, exchange)
    change_exchange(session, exchange, fields, now, staff)
    promote_waitlisted(session, exchange, now)
    publish(session, exchange, EXCHANGE_UPDATED, now)
    if staff is not None:
        after = exchange_snapshot(session, exchange)
        changed = {name for name in after if after[name] != before[name]}
        action = "exchange.capacity" if changed == {"capacity"} else "exchange.changed"
        audit.record(session, staff, action, ("exchange", exchange.id), before, after)
    return exchange


def promote_waitlisted(session: Session, exchange: Exchange, now: datetime | None = None) -> list[Booking]:
    """Confirm, in queue order, everyone on the waiting list a free place is open to, then close up
    the queue. The caller must hold the exchange's lock. Emits `registration.booking.promoted`
    (without `manage_token_sealed`: only the application itself knows its token)."""
    now = now or utcnow()
    queue = list(session.scalars(
        select(Booking).where(Booking.exchange_id == exchange.id, Booking.status == "waitlisted")
        .order_by(Booking.waitlist_position, Booking.id).execution_options(populate_existing=True)))
    promoted = []
    for booking in queue:
        if exchange.confirmed_count >= exchange.capacity:
            break
        application = session.get(Application, booking.application_id)
        if _free_places_for(session, exchange, application.participant_type, now) <= 0:
            continue
        booking.status, booking.waitlist_position, booking.updated_at = "confirmed", None, now
        session.flush()
        _move_counters(session, exchange, confirmed=+1, waiting=-1)
        _announce(session, BOOKING_PROMOTED, booking, application, exchange, None)
        promoted.append(booking)
    _close_up_queue(session, exchange.id, now)
    return promoted


def release_reservations(session: Session, now: datetime | None = None) -> int:
    """Promote on exchanges whose reserved places have just been released (the worker runs this
    every minute). Returns how many bookings were promoted."""
    now = now or utcnow()
    candidates = session.scalars(
        select(Exchange.id).where(Exchange.reserved_until <= now, Exchange.confirmed_count < Exchange.capacity,
                                  select(Booking.id).where(Booking.exchange_id == Exchange.id,
                                                           Booking.status == "waitlisted").exists())
    ).all()
    return sum(len(promote_waitlisted(session, lock_exchange(session, exchange_id), now))
               for exchange_id in candidates)


def clash_warnings(exchanges: list[Exchange]) -> list[dict]:
    """Warnings for a set of chosen exchanges (nothing is refused for them):

    - `{"code": "same_day", "exchange_ids": [...], "date"}`: two or more on one day (Europe/London);
    - `{"code": "session_clash", "exchange_ids": [a, b], "date", "session": "orientation|reflection"}`
      (kx addition): exchange a's 1-hour online session falls during exchange b's visit.
    """
    by_day: dict = defaultdict(list)
    for exchange in sorted(exchanges, key=lambda e: (e.starts_at, e.id)):
        by_day[local_date(exchange.starts_at)].append(exchange.id)
    warnings = [{"code": "same_day", "exchange_ids": ids, "date": day.isoformat()}
                for day, ids in sorted(by_day.items()) if len(ids) > 1]
    for exchange in sorted(exchanges, key=lambda e: e.id):
        for stage in ("orientation", "reflection"):
            starts = getattr(exchange, f"{stage}_starts_at")
            if starts is None:
                continue
            for other in sorted(exchanges, key=lambda e: e.id):
                if other.id != exchange.id and starts < other.ends_at and other.starts_at < starts + SESSION_LENGTH:
                    warnings.append({"code": "session_clash", "exchange_ids": [exchange.id, other.id],
                                     "date": local_date(starts).isoformat(), "session": stage})
    return warnings


# --- the statements of an application, built once; those under the lock are Core --------------

EXCHANGES, BOOKINGS = Exchange.__table__, Booking.__table__
INSERT_APPLICATION = insert(Application.__table__).returning(Application.__table__.c.id)
#: the person's application, by case-folded email (see `_person`)
READ_PERSON = (select(Application).where(Application.email_folded == bindparam("email_folded", type_=String),
                                         Application.erased_at.is_(None))
               .order_by(Application.id.desc()).limit(1))
#: the first key of the advisory lock on one email's applications (PostgreSQL); the second is its hash
PERSON_LOCK = 0x6B7A
#: the chosen exchanges as last committed, read without a lock; a draft is as unknown as a
#: number never used (a draft never becomes one again once published, so no lock is needed)
READ_EXCHANGES = (select(Exchange).where(Exchange.id.in_(bindparam("ids", expanding=True)),
                                         Exchange.draft.is_(False))
                  .execution_options(populate_existing=True))
_FREE = EXCHANGES.c.confirmed_count < EXCHANGES.c.capacity
_NOW = bindparam("now", type_=UtcDateTime)
#: the plain case, which locks the row and decides in one statement (see `_take_place`)
TAKE_PLACE = (
    update(EXCHANGES)
    .where(EXCHANGES.c.id == bindparam("exchange_id", type_=Integer), EXCHANGES.c.closed.is_(False),
           EXCHANGES.c.booking_closes_at > _NOW,
           or_(EXCHANGES.c.reserved_until.is_(None), EXCHANGES.c.reserved_until <= _NOW,
               and_(EXCHANGES.c.reserved_experience == 0, EXCHANGES.c.reserved_occupation == 0)),
           or_(EXCHANGES.c.waitlist_length == 0, ~_FREE))
    .values(confirmed_count=EXCHANGES.c.confirmed_count + case((_FREE, 1), else_=0),
            waitlist_length=EXCHANGES.c.waitlist_length + case((_FREE, 0), else_=1))
    .returning(EXCHANGES.c.confirmed_count, EXCHANGES.c.waitlist_length)
)
MOVE_COUNTERS = (
    update(EXCHANGES).where(EXCHANGES.c.id == bindparam("exchange_id", type_=Integer))
    .values(confirmed_count=EXCHANGES.c.confirmed_count + bindparam("confirmed", type_=Integer),
            waitlist_length=EXCHANGES.c.waitlist_length + bindparam("waiting", type_=Integer))
    .returning(EXCHANGES.c.confirmed_count, EXCHANGES.c.waitlist_length)
)


def _held(exchange_id, folded):
    """Whether this person (case-folded email) holds an active booking on the exchange: one
    probe of the one-per-person index. Its condition is written out here as it is there: with
    `status IN (:a, :b)`, a prepared statement's generic plan cannot use that index, and
    PostgreSQL scanned the whole table instead, once per application."""
    return exists().where(BOOKINGS.c.exchange_id == exchange_id, BOOKINGS.c.email_folded == folded,
                          text(ACTIVE_CONDITION))


_NEW_BOOKING = ("application_id", "exchange_id", "email_folded", "status", "waitlist_position", "created_at",
                "updated_at")
#: the booking, unless this person already holds an active one on the exchange (see `_insert_booking`)
INSERT_BOOKING = insert(BOOKINGS).from_select(
    _NEW_BOOKING,
    select(*(bindparam(f"new_{name}", type_=BOOKINGS.c[name].type) for name in _NEW_BOOKING))
    .where(~_held(bindparam("new_exchange_id", type_=Integer), bindparam("new_email_folded", type_=String))),
).returning(BOOKINGS.c.id)


# --- the steps -----------------------------------------------------------------------------------


def _check_application(ids, line_manager_permission, will_attend_sessions, privacy_notice_accepted) -> None:
    problems = {}
    if not ids:
        problems["exchange_ids"] = [_("Choose at least one exchange.")]
    elif len(ids) > MAX_SELECTIONS:
        problems["exchange_ids"] = [_("Choose %(n)d exchanges or fewer.", n=MAX_SELECTIONS)]
    if line_manager_permission not in LINE_MANAGER_ANSWERS:
        problems["line_manager_permission"] = [_("Say whether your line manager has given permission.")]
    if will_attend_sessions is not True:
        problems["will_attend_sessions"] = [_("You must be able to attend the orientation and reflection sessions.")]
    if privacy_notice_accepted is not True:
        problems["privacy_notice_accepted"] = [_("Accept the privacy notice to apply.")]
    if problems:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid", fields=problems)


def _joined(session: Session, token: str, answers: dict) -> Application:
    """The application the person's link opens, with the answers given now (the same person: the
    case-folded email must match, or the link would hand one person's page to another's bookings)."""
    application = holder(session, Application, token)
    if application is None:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"manage_token": [_(NOT_FOUND)]})
    if application.email_folded != answers["email_folded"]:
        raise ApiError(422, _("Some of the information given is not valid."), code="invalid",
                       fields={"applicant.email": [_("Use the email address of the bookings you are adding to, "
                                                     "or start a new application.")]})
    for name, value in answers.items():
        setattr(application, name, value)
    session.flush()
    return application


def _person(session: Session, email_folded: str) -> Application | None:
    """The application this person (case-folded email) already has, not erased: the newest, should
    there be several from before one person had one link. On PostgreSQL an advisory lock on the
    email, held to the commit, makes two first applications of one email one after the other, so
    the second finds the first (SQLite has one writer at a time anyway)."""
    if not is_sqlite(session):
        session.execute(select(func.pg_advisory_xact_lock(PERSON_LOCK, func.hashtext(email_folded))))
    return session.scalar(READ_PERSON, {"email_folded": email_folded})


def _announce_application(session: Session, application: Application, exchanges: dict[int, Exchange],
                          outcomes: list[BookingOutcome], sealed: str, link_replaced: bool = False) -> None:
    """`registration.application.submitted`: the new bookings together, for one email;
    `link_replaced` when the application joined the person's by email and their link was renewed."""
    booked = [o for o in outcomes if o.booking is not None]
    if not booked:
        return
    emit(session, APPLICATION_SUBMITTED, {
        **({"link_replaced": True} if link_replaced else {}),
        "application_id": application.id, "applicant": _applicant_data(application),
        "bookings": [{"booking_id": o.booking.id, "exchange_id": o.exchange_id, "status": o.status,
                      "waitlist_position": o.waitlist_position, "exchange": exchange_brief(exchanges[o.exchange_id])}
                     for o in booked],
        "manage_token_sealed": sealed, "manage_token_hash": application.manage_token_hash})


def _allocate(session: Session, application: Application, exchange: Exchange, sealed: str,
              now: datetime) -> BookingOutcome:
    """One chosen exchange: `closed`, `already_booked`, or a new confirmed or waitlisted booking
    with its event. The lock on the exchange is taken half-way down, and held until the commit."""
    if is_closed(exchange, now):  # as last committed; an answer that writes nothing needs no lock
        return _closed_or_held(session, application, exchange)
    booking = Booking(application_id=application.id, exchange_id=exchange.id, email_folded=application.email_folded,
                      created_at=now, updated_at=now)
    data = _booking_data(0, application, exchange, sealed)  # booking_id and waitlist_position come later
    data["told_in_application"] = True
    envelope = make_envelope(session.info["kx_service"].name, BOOKING_CONFIRMED, data)

    place = _take_place(session, exchange, now)  # from here on, the lock is held
    if place is None:
        place = _take_place_locked(session, application, exchange, now)
        if place is None:
            return _closed_or_held(session, application, exchange)
    booking.status, booking.waitlist_position = place
    booking.id = _insert_booking(session, booking)
    if booking.id is None:
        _move_counters(session, exchange, **({"confirmed": -1} if booking.status == "confirmed" else {"waiting": -1}))
        return BookingOutcome(exchange.id, "already_booked")
    data["booking_id"], data["waitlist_position"] = booking.id, booking.waitlist_position
    envelope["type"] = BOOKING_CONFIRMED if booking.status == "confirmed" else BOOKING_WAITLISTED
    emit_built(session, envelope)
    return BookingOutcome(exchange.id, booking.status, booking.waitlist_position, booking)


def _take_place(session: Session, exchange: Exchange, now: datetime) -> tuple[str, int | None] | None:
    """The plain case in one statement that locks the exchange's row and decides on its committed
    numbers: a place if one is free, else the end of the waiting list. Returns (status, position),
    or None when the guard does not hold (closed; reserved places holding; people waiting while a
    place is free): then the caller locks and decides in Python."""
    row = session.execute(TAKE_PLACE, {"exchange_id": exchange.id, "now": now}).first()
    if row is None:
        return None
    set_committed_value(exchange, "confirmed_count", row.confirmed_count)
    set_committed_value(exchange, "waitlist_length", row.waitlist_length)
    # Under the guard the waiting list was empty whenever a place was free, so it is still empty
    # exactly when this application took a place.
    return ("confirmed", None) if row.waitlist_length == 0 else ("waitlisted", row.waitlist_length)


def _take_place_locked(session: Session, application: Application, exchange: Exchange,
                       now: datetime) -> tuple[str, int | None] | None:
    """The general case: lock the exchange's row, then decide with reserved places in mind.
    Returns (status, position), or None when the exchange has closed since it was read."""
    exchange = lock_exchange(session, exchange.id)
    if is_closed(exchange, now):
        return None
    if _free_places_for(session, exchange, application.participant_type, now) > 0:
        _move_counters(session, exchange, confirmed=+1)
        return "confirmed", None
    _move_counters(session, exchange, waiting=+1)
    return "waitlisted", exchange.waitlist_length


def _insert_booking(session: Session, booking: Booking) -> int | None:
    """Insert the booking (one Core statement) unless this person already holds an active booking
    on the exchange; its id, or None. The caller holds the exchange's lock, which every insert of
    a booking on it takes first, so the check cannot race; the unique index guards it anyway."""
    return session.execute(INSERT_BOOKING, {f"new_{name}": getattr(booking, name) for name in _NEW_BOOKING}).scalar()


def _closed_or_held(session: Session, application: Application, exchange: Exchange) -> BookingOutcome:
    """A closed exchange answers `already_booked` to whoever holds a booking on it."""
    held = session.scalar(select(_held(exchange.id, application.email_folded)))
    return BookingOutcome(exchange.id, "already_booked" if held else "closed")


def _move_counters(session: Session, exchange: Exchange, confirmed: int = 0, waiting: int = 0) -> None:
    """Move the counters in SQL, so the CHECKs see the true totals even if a caller forgot the lock."""
    row = session.execute(MOVE_COUNTERS, {"exchange_id": exchange.id, "confirmed": confirmed, "waiting": waiting}).one()
    set_committed_value(exchange, "confirmed_count", row.confirmed_count)
    set_committed_value(exchange, "waitlist_length", row.waitlist_length)


def _free_places_for(session: Session, exchange: Exchange, participant_type: str, now: datetime) -> int:
    free = exchange.capacity - exchange.confirmed_count
    reservations = {"experience": exchange.reserved_experience, "occupation": exchange.reserved_occupation}
    if exchange.reserved_until is None or now >= exchange.reserved_until or not any(reservations.values()):
        return free
    confirmed = _confirmed_by_type(session, exchange.id)
    kept_for_others = sum(max(0, reserved - confirmed[kind]) for kind, reserved in reservations.items()
                          if participant_type not in (kind, "both"))
    return free - kept_for_others


def _confirmed_by_type(session: Session, exchange_id: int) -> dict[str, int]:
    rows = session.execute(
        select(Application.participant_type, func.count()).join(Booking, Booking.application_id == Application.id)
        .where(Booking.exchange_id == exchange_id, Booking.status == "confirmed")
        .group_by(Application.participant_type)).all()
    by_type = dict(rows)
    both = by_type.get("both", 0)
    return {"experience": by_type.get("experience", 0) + both, "occupation": by_type.get("occupation", 0) + both}


def _close_up_queue(session: Session, exchange_id: int, now: datetime) -> None:
    queue = session.scalars(select(Booking).where(Booking.exchange_id == exchange_id, Booking.status == "waitlisted")
                            .order_by(Booking.waitlist_position, Booking.id)
                            .execution_options(populate_existing=True))
    for position, booking in enumerate(queue, start=1):
        if booking.waitlist_position != position:
            booking.waitlist_position, booking.updated_at = position, now
    session.flush()


def _latest_booking(session: Session, application_id: int, exchange_id: int) -> Booking | None:
    return session.scalar(
        select(Booking).where(Booking.application_id == application_id, Booking.exchange_id == exchange_id)
        .order_by(Booking.status.in_(ACTIVE).desc(), Booking.id.desc()).limit(1)
        .execution_options(populate_existing=True))


def _announce(session: Session, event_type: str, booking: Booking, application: Application, exchange: Exchange,
              sealed: str | None) -> None:
    """A booking event. `sealed` (the manage token sealed) only when the applicant's own request
    raised it (for the links in its message)."""
    data = _booking_data(booking.id, application, exchange, sealed)
    data["waitlist_position"] = booking.waitlist_position
    emit(session, event_type, data)


def sealed_token(session: Session, token: str) -> str:
    """The manage token as events carry it: sealed for notifications (shared/link_seal.py), never in clear."""
    return seal(session.info["kx_settings"], token)


def _booking_data(booking_id: int, application: Application, exchange: Exchange, sealed: str | None) -> dict:
    return {
        "booking_id": booking_id,
        "exchange_id": exchange.id,
        "application_id": application.id,
        "applicant": _applicant_data(application),
        "waitlist_position": None,
        "exchange": exchange_brief(exchange),
        "manage_token_sealed": sealed,
        "manage_token_hash": application.manage_token_hash,
    }


def _applicant_data(application: Application) -> dict:
    return {"name": application.name, "email": application.email, "language": application.language,
            "participant_type": application.participant_type,
            "stakeholder_group": application.stakeholder_group or None}
