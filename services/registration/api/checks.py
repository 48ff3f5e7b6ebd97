"""Who may call registration's staff endpoints, as grants for `shared.api.authorised_first`, which
checks them before the request is read."""

from __future__ import annotations


def admin(**_path) -> str:
    return "admin"


def host_of(exchange_id: int, **_path) -> tuple[str, int]:
    return ("host", exchange_id)
