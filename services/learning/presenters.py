"""Summaries as the API shows them: fields listed explicitly, so no column leaks."""

from __future__ import annotations

from datetime import UTC, datetime

from .models import Summary, SummaryHistory, SummaryVersion
from .operations import CONTENT


def summary_json(summary: Summary | None, version: SummaryVersion | None, exchange_id: int) -> dict:
    if summary is None or version is None:
        return {"exchange_id": exchange_id, "status": "not_started", "version": 0, "approved_version": None,
                **{name: ([] if name in ("key_insights", "outcomes_met", "contributors") else "") for name in CONTENT},
                "publish": False, "return_comment": None, "updated_at": None}
    return {
        "exchange_id": exchange_id,
        "status": summary.status,
        "version": version.number,
        "approved_version": summary.approved_version,
        **{name: getattr(version, name) for name in CONTENT},
        "publish": summary.publish,
        "return_comment": summary.return_comment if summary.status == "returned" else None,
        "updated_at": iso(version.created_at),
    }


def history_json(rows: list[SummaryHistory]) -> list[dict]:
    return [{"at": iso(row.at), "action": row.action, "version": row.version, "status": row.status,
             "actor": row.actor_name, "comment": row.comment} for row in rows]


def iso(moment: datetime) -> str:
    """ISO 8601 with its offset (SQLite hands back UTC times without one)."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).isoformat()
