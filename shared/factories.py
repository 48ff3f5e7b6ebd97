"""Registration's events as the tests of their consumers send them (notifications, learning,
expenses): one complete, valid payload per event type, which a test overrides only where it matters,
after factory_boy's factories (without the library). When an event's schema changes, this is the
one place where the tests' payloads change with it.

Times are given as datetimes and written as the bus carries them (ISO 8601 with offset).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from .manage_tokens import token_hash


def _on_the_bus(data: dict) -> dict:
    return {key: value.isoformat() if isinstance(value, datetime) else value for key, value in data.items()}


def exchange_published(exchange_id: int, starts_at: datetime, ends_at: datetime | None = None, **fields) -> dict:
    """`registration.exchange.published`: an open exchange of four hours, closing for booking ten
    days before it starts."""
    data = {
        "id": exchange_id, "title": f"Exchange {exchange_id}", "theme": "T1", "subtheme": None,
        "host": {"name": "Example Health Board"}, "location": {"site": "Example Hospital", "town": "Aberystwyth"},
        "starts_at": starts_at, "ends_at": ends_at or starts_at + timedelta(hours=4),
        "capacity": 20, "places_left": 5, "waitlist_length": 0, "booking_closes_at": starts_at - timedelta(days=10),
        "status": "open", "description": "An illustrative exchange.", "learning_outcomes": [],
        "orientation": None, "reflection": None,
    }
    data.update(fields)
    return _on_the_bus(data)


def booking(application_id: int, exchange_id: int, *, token: str | None = None, applicant: dict | None = None,
            **fields) -> dict:
    """`registration.booking.<status>`: application `application_id`'s place on `exchange_id`, its
    manage token `token-<application_id>` unless `token` is given; `applicant` overrides fields
    of the applicant (person<application_id>@example.org, in English, an expert by occupation)."""
    data = {
        "booking_id": application_id * 100 + exchange_id, "exchange_id": exchange_id,
        "application_id": application_id,
        "applicant": {"name": "Alex Example", "email": f"person{application_id}@example.org", "language": "en",
                      "participant_type": "occupation", **(applicant or {})},
        "waitlist_position": None,
        "manage_token_hash": token_hash(token or f"token-{application_id}"),
    }
    data.update(fields)
    return data


def link_replaced(application_id: int, token: str, *, applicant: dict | None = None, sealed: str = "sealed") -> dict:
    """`registration.application.link_replaced`: application `application_id` now opens with `token`
    (`sealed` stands for its seal, which only notifications opens)."""
    return {"application_id": application_id, "reason": "replaced", "manage_token_hash": token_hash(token),
            "manage_token_sealed": sealed,
            "applicant": {"name": "Alex Example", "email": f"person{application_id}@example.org", "language": "en",
                          "participant_type": "occupation", **(applicant or {})}}


def attendance(application_id: int, exchange_id: int, stage: str = "exchange", attended: bool = True) -> dict:
    """`registration.attendance.recorded` for application `application_id`'s applicant."""
    return {"exchange_id": exchange_id, "application_id": application_id,
            "email": f"person{application_id}@example.org", "stage": stage, "attended": attended}


def staff_updated(staff_id: int, email: str, language: str = "en", roles=("host",), active: bool = True) -> dict:
    """`registration.staff.updated` for an account (its scopes empty, its first token version)."""
    return {"id": staff_id, "email": email, "roles": list(roles), "exchanges": [], "themes": [],
            "language": language, "active": active, "token_version": 1}
