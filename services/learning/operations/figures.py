"""The numbers: feedback with its response rate, who took part, impact against the target.

Counts about people that could identify someone (1 to 4) are suppressed wherever they are shown
beside a breakdown; `suppress()` is the one place that decides.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..models import Applicant, Attendance, Booking, Exchange, Feedback, ProgrammeSetting

#: counts below this (and above 0) are not shown
SMALL = 5


@dataclass(frozen=True)
class Rate:
    """Feedback on one thing: how many responded among how many attended, and what they said."""

    responses: int
    attendees: int
    recommend: int
    ratings: tuple[int, int, int, int, int]

    @property
    def response_rate(self) -> int | None:
        return round(100 * self.responses / self.attendees) if self.attendees else None

    @property
    def would_recommend_pct(self) -> int | None:
        return round(100 * self.recommend / self.responses) if self.responses else None

    @property
    def average_rating(self) -> float | None:
        total = sum((n + 1) * count for n, count in enumerate(self.ratings))
        return round(total / self.responses, 1) if self.responses else None

    def as_json(self) -> dict:
        return {"responses": self.responses, "attendees": self.attendees, "response_rate": self.response_rate,
                "would_recommend_pct": self.would_recommend_pct, "average_rating": self.average_rating,
                "ratings": dict(zip(("1", "2", "3", "4", "5"), self.ratings, strict=True))}


def _rate(rows: list[Feedback], attendees: int) -> Rate:
    ratings = Counter(row.rating for row in rows)
    return Rate(responses=len(rows), attendees=attendees, recommend=sum(1 for r in rows if r.would_recommend),
                ratings=tuple(ratings.get(n, 0) for n in range(1, 6)))


def attendees_by_exchange(session: Session) -> dict[int, int]:
    return dict(session.execute(
        select(Attendance.exchange_id, func.count()).where(Attendance.stage == "exchange", Attendance.attended.is_(True))
        .group_by(Attendance.exchange_id)).all())


def feedback_summary(session: Session, themes: set[str] | None = None) -> dict:
    """Per exchange, per theme, overall and for the conference. `themes` limits the first two."""
    exchanges = {e.id: e for e in session.scalars(select(Exchange))}
    attendees = attendees_by_exchange(session)
    by_exchange: dict[int, list[Feedback]] = defaultdict(list)
    conference: list[Feedback] = []
    for row in session.scalars(select(Feedback)):
        if row.exchange_id is None:
            conference.append(row)
        elif row.exchange_id in exchanges:
            by_exchange[row.exchange_id].append(row)

    per_exchange = []
    per_theme_rows: dict[str, list[Feedback]] = defaultdict(list)
    per_theme_attendees: Counter = Counter()
    for exchange in sorted(exchanges.values(), key=lambda e: (e.theme, e.starts_at)):
        rows = by_exchange.get(exchange.id, [])
        per_theme_rows[exchange.theme].extend(rows)
        per_theme_attendees[exchange.theme] += attendees.get(exchange.id, 0)
        if themes is None or exchange.theme in themes:
            per_exchange.append({"exchange_id": exchange.id, "title": exchange.title, "title_cy": exchange.title_cy,
                                 "theme": exchange.theme,
                                 **_rate(rows, attendees.get(exchange.id, 0)).as_json()})
    per_theme = [{"theme": code, **_rate(per_theme_rows[code], per_theme_attendees[code]).as_json()}
                 for code in sorted(per_theme_attendees) if themes is None or code in themes]
    all_rows = [row for rows in by_exchange.values() for row in rows]
    return {
        "exchanges": per_exchange,
        "themes": per_theme,
        "overall": _rate(all_rows, sum(attendees.get(e, 0) for e in exchanges)).as_json(),
        "conference": _rate(conference, conference_attendees(session)).as_json(),
    }


def conference_attendees(session: Session) -> int:
    """The head count the programme team gave, else everyone who attended an exchange."""
    setting = session.get(ProgrammeSetting, 1)
    if setting is not None and setting.conference_attendees:
        return setting.conference_attendees
    return session.scalar(select(func.count(func.distinct(Attendance.application_id))).where(
        Attendance.stage == "exchange", Attendance.attended.is_(True))) or 0


def participation(session: Session, exchange_ids: list[int]) -> dict[int, dict]:
    """Who took part in each exchange, by participant type and stakeholder group.

    Counted from recorded attendance; an exchange with none recorded yet is counted from its
    confirmed bookings, and says so (`basis`).
    """
    attended = session.execute(
        select(Attendance.exchange_id, Applicant.participant_type, Applicant.stakeholder_group)
        .join(Applicant, Applicant.id == Attendance.application_id)
        .where(Attendance.exchange_id.in_(exchange_ids), Attendance.stage == "exchange",
               Attendance.attended.is_(True))).all()
    recorded = set(session.scalars(select(Attendance.exchange_id).where(
        Attendance.exchange_id.in_(exchange_ids), Attendance.stage == "exchange")))
    booked = session.execute(
        select(Booking.exchange_id, Applicant.participant_type, Applicant.stakeholder_group)
        .join(Applicant, Applicant.id == Booking.application_id)
        .where(Booking.exchange_id.in_(exchange_ids), Booking.status == "confirmed")).all()
    result = {}
    for exchange_id in exchange_ids:
        basis = "attended" if exchange_id in recorded else "booked"
        rows = [r for r in (attended if basis == "attended" else booked) if r[0] == exchange_id]
        by_type = Counter(r[1] for r in rows)
        by_group = Counter(r[2] or "not given" for r in rows)
        result[exchange_id] = {"basis": basis, "total": shown(len(rows)),
                               "by_type": suppress(by_type), "by_group": suppress(by_group)}
    return result


def shown(count: int) -> int | None:
    """The count, or None when it is small enough to identify someone."""
    return None if 0 < count < SMALL else count


def suppress(counts: dict[str, int]) -> dict[str, int | None]:
    """Small counts become None; if only one was, the next smallest goes too (it could be worked
    out from the total otherwise)."""
    result = {key: shown(value) for key, value in sorted(counts.items())}
    hidden = [key for key, value in result.items() if value is None]
    if len(hidden) == 1 and sum(counts.values()) >= SMALL:
        others = sorted((value, key) for key, value in counts.items() if key not in hidden and value > 0)
        if others:
            result[others[0][1]] = None
    return result


def impact(session: Session) -> dict:
    """Experiences of shared learning (each attended stage counts once) against the target."""
    rows = session.execute(
        select(Attendance.stage, Exchange.theme, Applicant.participant_type, Applicant.stakeholder_group)
        .join(Exchange, Exchange.id == Attendance.exchange_id, isouter=True)
        .join(Applicant, Applicant.id == Attendance.application_id, isouter=True)
        .where(Attendance.attended.is_(True))).all()
    setting = session.get(ProgrammeSetting, 1)
    target = setting.impact_target if setting else None
    total = len(rows)
    return {
        "experiences": total,
        "target": target,
        "progress_pct": round(100 * total / target) if target else None,
        "by_stage": dict(sorted(Counter(r[0] for r in rows).items())),
        "by_theme": dict(sorted(Counter(r[1] or "unknown" for r in rows).items())),
        "by_participant_type": dict(sorted(Counter(r[2] or "unknown" for r in rows).items())),
        "by_sector": dict(sorted(Counter(r[3] or "not given" for r in rows).items())),
    }
