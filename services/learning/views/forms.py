"""How the pages read their forms: a textarea's lines, and where an error is shown."""

from __future__ import annotations


def lines(text: str) -> list[str]:
    return [line for line in (text or "").splitlines() if line.strip()]


def form_field(path: str) -> str:
    """`key_insights.3` is shown beside `key_insights`."""
    return path.split(".")[0]
