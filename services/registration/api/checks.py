"""Who may call registration's staff endpoints, as grants for `shared.api.authorised_first`, which
checks them before the request is read. No role implies another: a route open to hosts and the
programme team lists both (`authorised_first(host_of, admin)`)."""

from __future__ import annotations


def admin(**_path) -> str:
    return "admin"


def host_of(exchange_id: int, **_path) -> tuple[str, int]:
    return ("host", exchange_id)
