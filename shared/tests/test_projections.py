"""The one "update only if newer" of every projection (shared.projections)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from shared.db import declarative_base, make_engine, make_sessionmaker
from shared.projections import (
    AttendanceMixin,
    ProjectedRow,
    event_time,
    upsert_attendance,
    upsert_if_newer,
)
from shared.times import iso

Base = declarative_base()

T0 = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)


class Exchange(ProjectedRow, Base):
    __tablename__ = "exchange"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    title: Mapped[str] = mapped_column(String(100))


class Attendance(AttendanceMixin, Base):
    pass


@pytest.fixture
def session(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'projections.db'}")
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as session:
        yield session
    engine.dispose()


def keep(session, title: str, at: datetime) -> bool:
    _, applied = upsert_if_newer(session, Exchange, {"id": 1}, at, {"title": title})
    session.commit()
    return applied


def stored(session) -> Exchange:
    session.expire_all()
    return session.get(Exchange, 1)


def test_the_first_event_creates_the_row(session):
    assert keep(session, "First", T0)
    row = stored(session)
    assert (row.title, row.event_time) == ("First", T0)


def test_a_newer_event_is_applied(session):
    keep(session, "First", T0)
    assert keep(session, "Renamed", T0 + timedelta(microseconds=1))
    assert (stored(session).title, stored(session).event_time) == ("Renamed", T0 + timedelta(microseconds=1))


def test_an_older_event_is_ignored_and_the_row_returned_as_it_was(session):
    keep(session, "Newest", T0)
    row, applied = upsert_if_newer(session, Exchange, {"id": 1}, T0 - timedelta(seconds=1), {"title": "Stale"})
    session.commit()
    assert not applied and row.title == "Newest"
    assert (stored(session).title, stored(session).event_time) == ("Newest", T0)


def test_an_event_of_the_same_time_is_applied_again_so_a_redelivery_is_harmless(session):
    keep(session, "Once", T0)
    assert keep(session, "Once", T0)
    assert (stored(session).title, stored(session).event_time) == ("Once", T0)


def test_times_compare_as_instants_whatever_offset_the_envelope_wrote(session):
    keep(session, "At 09:30 UTC", event_time({"time": "2025-03-10T09:30:00+00:00"}))
    # 10:00+01:00 is 09:00 UTC: older, though its text sorts after
    assert not keep(session, "Earlier", event_time({"time": "2025-03-10T10:00:00+01:00"}))
    assert keep(session, "Later", event_time({"time": "2025-03-10T05:00:00.5-04:30"}))
    assert iso(stored(session).event_time) == "2025-03-10T09:30:00.500000+00:00"


def test_a_row_added_earlier_in_the_same_unflushed_transaction_is_found(session):
    with session.no_autoflush:
        first, _ = upsert_if_newer(session, Exchange, {"id": 1}, T0, {"title": "First"})
        again, applied = upsert_if_newer(session, Exchange, {"id": 1}, T0 - timedelta(seconds=1), {"title": "Stale"})
    assert again is first and not applied
    session.commit()
    assert stored(session).title == "First"


def test_attendance_is_kept_per_exchange_application_and_stage(session):
    def recorded(stage: str, attended: bool, at: datetime) -> None:
        upsert_attendance(session, Attendance, {"time": iso(at)},
                          {"exchange_id": 7, "application_id": 3, "stage": stage, "attended": attended})
        session.commit()

    recorded("exchange", True, T0)
    recorded("orientation", False, T0)
    recorded("exchange", False, T0 - timedelta(minutes=1))  # late, and older: ignored
    session.expire_all()
    assert session.get(Attendance, (7, 3, "exchange")).attended is True
    assert session.get(Attendance, (7, 3, "orientation")).attended is False
