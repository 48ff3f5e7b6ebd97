"""Reminders: scheduled with the booking, sent once when due (even after the worker was down),
cancelled with the booking, moved with the exchange."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from services.notifications.models import Reminder
from services.notifications.operations.reminders import remind_due

from .conftest import Clock, Events, drain, exchange_data, make_runtime, messages

DAY = timedelta(days=1)


def _reminders(runtime):
    with runtime.session() as session:
        return {(r.kind, r.offset_minutes): r for r in session.scalars(select(Reminder))}


def _soon(days: int = 30) -> datetime:
    return (datetime.now(UTC) + timedelta(days=days)).replace(microsecond=0)


def test_each_session_gets_reminders_seven_days_and_one_day_before_and_feedback_follows_reflection(runtime, events):
    starts = _soon(40)
    events.booking("confirmed", starts_at=starts)
    reminders = _reminders(runtime)
    week, day = -7 * 24 * 60, -24 * 60
    assert reminders[("exchange", week)].due_at == starts - 7 * DAY
    assert reminders[("exchange", day)].due_at == starts - DAY
    assert reminders[("orientation", day)].due_at == starts - 14 * DAY - DAY
    assert reminders[("reflection", week)].due_at == starts + 14 * DAY - 7 * DAY
    assert reminders[("feedback", 24 * 60)].due_at == starts + 14 * DAY + DAY
    assert len(reminders) == 7
    assert {r.status for r in reminders.values()} == {"scheduled"}


def test_the_offsets_are_configurable(tmp_path):
    runtime = make_runtime(tmp_path, KX_REMINDER_OFFSETS="2d, 3h", KX_FEEDBACK_AFTER="2h")
    Events(runtime).booking("confirmed", starts_at=_soon())
    assert {(k, o) for k, o in _reminders(runtime)} == {
        (kind, offset) for kind in ("orientation", "exchange", "reflection") for offset in (-2 * 24 * 60, -180)
    } | {("feedback", 120)}
    runtime.dispose()


def test_a_reminder_is_sent_once_when_due_and_never_again(runtime, events, mail_server):
    starts = _soon()
    events.booking("confirmed", starts_at=starts)
    drain(runtime)  # the confirmation
    clock = Clock(starts - 7 * DAY + timedelta(minutes=1))
    assert remind_due(runtime, clock) == 3, "the exchange's week reminder; the orientation's two, too late"
    assert remind_due(runtime, clock) == 0
    drain(runtime, clock)
    reminder = mail_server.received[-1].email
    assert reminder["Subject"] == f"Reminder: Crisis care in the community, {_day(starts)}"
    assert len(mail_server.received) == 2
    done = _reminders(runtime)[("exchange", -7 * 24 * 60)]
    assert done.status == "done" and done.message_id == messages(runtime)[-1].id


def test_a_reminder_due_while_the_worker_was_down_is_sent_once_when_it_comes_back(runtime, events, mail_server):
    starts = _soon()
    events.booking("confirmed", starts_at=starts)
    # The worker is down from a week before the exchange until two hours before it: both exchange
    # reminders fell due meanwhile. Coming back, it sends one (the nearer), once.
    clock = Clock(starts - timedelta(hours=2))
    remind_due(runtime, clock)
    remind_due(runtime, clock)
    drain(runtime, clock)
    exchange_reminders = [m for m in messages(runtime) if m.template == "reminder"
                          and "online" not in m.subject]
    assert len(exchange_reminders) == 1
    statuses = {k: r.status for k, r in _reminders(runtime).items() if k[0] == "exchange"}
    assert sorted(statuses.values()) == ["done", "skipped"]


def test_a_reminder_whose_session_has_started_is_skipped(runtime, events):
    starts = _soon()
    events.booking("confirmed", starts_at=starts)
    remind_due(runtime, Clock(starts + timedelta(hours=1)))
    orientation_and_exchange = [r for (kind, _), r in _reminders(runtime).items() if kind != "reflection"
                                and kind != "feedback"]
    assert {r.status for r in orientation_and_exchange} == {"skipped"}
    assert [m for m in messages(runtime) if m.template == "reminder"] == []


def test_the_feedback_request_follows_the_reflection_session_with_the_feedback_link(runtime, events):
    starts = _soon()
    events.booking("confirmed", starts_at=starts)
    remind_due(runtime, Clock(starts + 14 * DAY + DAY + timedelta(minutes=1)))
    [feedback] = messages(runtime, template="feedback_request")
    assert "https://kx.example.org/learning/manage/tok…" in feedback.text_body, "stored masked"
    assert feedback.link_of == 1, "the sender puts the working link in"
    assert feedback.subject == "How was Crisis care in the community? Two minutes of feedback"


def test_a_cancelled_booking_gets_no_reminders(runtime, events):
    starts = _soon()
    events.booking("confirmed", starts_at=starts)
    events.booking("cancelled", starts_at=starts)
    assert {r.status for r in _reminders(runtime).values()} == {"cancelled"}
    remind_due(runtime, Clock(starts - timedelta(hours=1)))
    assert [m.template for m in messages(runtime)] == ["confirmation", "cancelled"]


def test_someone_absent_from_the_exchange_is_not_asked_to_reflect_or_give_feedback(runtime, events):
    starts = _soon()
    events.booking("confirmed", starts_at=starts)
    events.deliver("registration.attendance.recorded", {"exchange_id": 7, "application_id": 1,
                                                        "email": "alex@example.org", "stage": "exchange",
                                                        "attended": False})
    statuses = {k[0]: r.status for k, r in _reminders(runtime).items()}
    assert statuses["reflection"] == statuses["feedback"] == "cancelled"
    assert statuses["exchange"] == "scheduled"


def test_a_changed_exchange_time_moves_its_reminders(runtime, events, mail_server):
    starts = _soon()
    events.booking("confirmed", starts_at=starts)
    later = starts + 3 * DAY
    events.deliver("registration.exchange.updated", exchange_data(starts_at=later))
    reminders = _reminders(runtime)
    assert reminders[("exchange", -24 * 60)].due_at == later - DAY
    assert reminders[("reflection", -24 * 60)].due_at == later + 14 * DAY - DAY

    remind_due(runtime, Clock(starts - DAY + timedelta(minutes=1)))  # the old "tomorrow"
    assert _reminders(runtime)[("exchange", -24 * 60)].status == "scheduled", "not due yet: it moved"
    [week_before] = messages(runtime, template="reminder")
    assert _day(later) in week_before.subject, "the week's reminder names the new day"
    remind_due(runtime, Clock(later - DAY + timedelta(minutes=1)))
    assert len(messages(runtime, template="reminder")) == 2


def test_an_older_exchange_event_does_not_move_reminders_back(runtime, events):
    from shared.events import make_envelope

    starts = _soon()
    stale = make_envelope("registration", "registration.exchange.updated", exchange_data(starts_at=starts - DAY))
    stale["time"] = (datetime.now(UTC) - timedelta(hours=1)).isoformat()
    events.booking("confirmed", starts_at=starts)
    events.deliver("registration.exchange.updated", stale["data"], envelope=stale)
    assert _reminders(runtime)[("exchange", -24 * 60)].due_at == starts - DAY


def test_a_booking_made_after_a_reminder_would_have_gone_does_not_get_it_late(runtime, events):
    starts = _soon(3)
    events.booking("confirmed", starts_at=starts)
    reminders = _reminders(runtime)
    assert reminders[("exchange", -7 * 24 * 60)].status == "skipped"
    assert reminders[("exchange", -24 * 60)].status == "scheduled"


def _day(moment: datetime) -> str:
    from zoneinfo import ZoneInfo

    return moment.astimezone(ZoneInfo("Europe/London")).strftime("%A %-d %B %Y")
