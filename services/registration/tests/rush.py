"""A rush: many applicants at once on one exchange, each in its own thread and transaction."""

from __future__ import annotations

import threading
from collections import Counter

from sqlalchemy import select

from services.registration.models import Booking, Exchange
from services.registration.operations import Applicant, apply


def rush(runtime, exchange_id: int, applicants: int = 200) -> list[tuple[str, int | None]]:
    """Start `applicants` threads together; each applies once. Returns their (status, position)."""
    start = threading.Barrier(applicants)
    answers: list = [None] * applicants
    errors: list = []

    def one(number: int) -> None:
        who = Applicant(name=f"Rush {number}", email=f"rush{number}@example.org", participant_type="occupation",
                        language="en")
        start.wait()
        try:
            with runtime.session() as session, session.begin():
                outcome = apply(session, who, [exchange_id], line_manager_permission="yes",
                                will_attend_sessions=True, privacy_notice_accepted=True).bookings[0]
            answers[number] = (outcome.status, outcome.waitlist_position)
        except Exception as error:  # noqa: BLE001 - reported by the test
            errors.append(repr(error))

    threads = [threading.Thread(target=one, args=(n,)) for n in range(applicants)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


def assert_first_come_first_served(runtime, exchange_id: int, answers, capacity: int) -> None:
    """Exactly `capacity` confirmed; the rest waitlisted at 1..N, as answered and as stored."""
    statuses = Counter(status for status, _ in answers)
    assert statuses == {"confirmed": capacity, "waitlisted": len(answers) - capacity}
    assert sorted(p for s, p in answers if s == "waitlisted") == list(range(1, len(answers) - capacity + 1))
    with runtime.session() as session:
        stored = session.execute(select(Booking.status, Booking.waitlist_position)
                                 .where(Booking.exchange_id == exchange_id)).all()
        assert session.get(Exchange, exchange_id).confirmed_count == capacity
    assert Counter(s for s, _ in stored) == statuses
    assert sorted(p for s, p in stored if s == "waitlisted") == list(range(1, len(answers) - capacity + 1))
