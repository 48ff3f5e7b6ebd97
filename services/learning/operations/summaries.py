"""What learning does, as functions over a session: they add rows and emit events, then flush.

The caller (a view or a handler) commits once. Role checks happen in the views (`authorise`);
these functions check the state a change needs and raise `ApiError` (409) when it is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.auth import Staff
from shared.errors import ApiError
from shared.events import SUMMARY_APPROVED, SUMMARY_RETURNED, SUMMARY_SUBMITTED
from shared.i18n import current_language
from shared.outbox import emit

from ..models import (
    Exchange,
    ProgrammeSetting,
    Reflection,
    Summary,
    SummaryHistory,
    SummaryVersion,
    Theme,
)
from ..packs.requests import request_rebuild

CONTENT = ("key_insights", "innovations", "challenges", "transferable_ideas", "outcomes_met", "contributors")
#: the content that is a list of lines (the rest is text)
LISTS = ("key_insights", "outcomes_met", "contributors")


@dataclass(frozen=True)
class SummaryAt:
    """A summary at one of its versions, as its readers see it (outputs.SummaryOutput).

    Before its first version an exchange's summary is "not_started", version 0, with empty
    content. The versions listed in a summary's history carry no status (`in_history`).
    """

    exchange_id: int
    summary: Summary | None
    version: SummaryVersion | None
    in_history: bool = False

    @property
    def started(self) -> bool:
        return self.summary is not None and self.version is not None

    @property
    def status(self) -> str | None:
        if self.in_history:
            return None
        return self.summary.status if self.started else "not_started"

    @property
    def number(self) -> int:
        return self.version.number if self.started else 0

    @property
    def approved_version(self) -> int | None:
        return self.summary.approved_version if self.started else None

    @property
    def publish(self) -> bool | None:
        return self.summary.publish if self.started else False

    @property
    def return_comment(self) -> str | None:
        return self.summary.return_comment if self.started and self.summary.status == "returned" else None

    @property
    def updated_at(self):
        return self.version.created_at if self.started else None

    @property
    def language(self) -> str | None:
        """en | cy: the language the version was written in; None before the first."""
        return self.version.language if self.started else None

    def __getattr__(self, name: str):
        """The content fields (`key_insights`, ...): the version's, or empty before the first."""
        if name not in CONTENT:
            raise AttributeError(name)
        if not self.started:
            return [] if name in LISTS else ""
        return getattr(self.version, name)


def exchange_or_404(session: Session, exchange_id: int) -> Exchange:
    exchange = session.get(Exchange, exchange_id)
    if exchange is None:
        raise ApiError(404, _("There is no exchange with that number."), code="not_found")
    return exchange


def theme_or_404(session: Session, code: str) -> Theme:
    theme = session.get(Theme, code)
    if theme is None:
        raise ApiError(404, _("There is no theme with that code."), code="not_found")
    return theme


def summary_of(session: Session, exchange_id: int) -> Summary | None:
    return session.scalar(select(Summary).where(Summary.exchange_id == exchange_id))


def version_of(session: Session, summary: Summary, number: int | None) -> SummaryVersion | None:
    if not number:
        return None
    return session.scalar(select(SummaryVersion).where(
        SummaryVersion.summary_id == summary.id, SummaryVersion.number == number))


def latest_summary(session: Session, exchange_id: int) -> SummaryAt:
    summary = summary_of(session, exchange_id)
    return SummaryAt(exchange_id, summary, version_of(session, summary, summary.latest_version) if summary else None)


def summary_history(session: Session, exchange_id: int) -> dict:
    """Every save, submission, approval and return, oldest first (`history`), and every version."""
    summary = summary_of(session, exchange_id)
    if summary is None:
        return {"history": [], "versions": []}
    return {"history": history_of(session, summary),
            "versions": [SummaryAt(exchange_id, summary, version, in_history=True)
                         for version in versions_of(session, summary)]}


def save_summary(session: Session, exchange: Exchange, content: dict, staff: Staff) -> Summary:
    """A new version of the summary, as a draft. Saving the same text again adds no version."""
    _check_outcomes(exchange, content["outcomes_met"])
    summary = summary_of(session, exchange.id)
    if summary is None:
        summary = Summary(exchange_id=exchange.id, status="draft", latest_version=0, publish=False)
        session.add(summary)
        session.flush()
    latest = version_of(session, summary, summary.latest_version)
    text = {name: content[name] for name in CONTENT}
    changed = latest is None or any(getattr(latest, name) != value for name, value in text.items())
    if changed:
        summary.latest_version += 1
        # written in the host's interface language at the time: a page in the other one marks it
        session.add(SummaryVersion(summary_id=summary.id, number=summary.latest_version, author_id=staff.id,
                                   language=current_language(), **text))
        # A new version is what the theme lead will see next: it needs submitting again.
        summary.status = "draft"
        _record(session, summary, "saved", staff)
    if content.get("publish") is not None and content["publish"] != summary.publish:
        summary.publish = content["publish"]
        _record(session, summary, "published" if summary.publish else "unpublished", staff)
    session.flush()
    return summary


def submit_summary(session: Session, exchange: Exchange, staff: Staff) -> Summary:
    summary = _existing(session, exchange)
    if summary.status == "submitted":
        raise ApiError(409, _("This summary is already waiting for approval."), code="already_submitted")
    if summary.status == "approved":
        raise ApiError(409, _("This version is already approved. Save changes to start a new version."),
                       code="already_approved")
    if _is_empty(version_of(session, summary, summary.latest_version)):
        raise ApiError(409, _("The summary is empty. Write at least one key insight before submitting it."),
                       code="summary_empty")
    _audit(session, staff, "summary.submitted", exchange, summary, "submitted")
    summary.status = "submitted"
    _record(session, summary, "submitted", staff)
    theme = session.get(Theme, exchange.theme)
    _emit(session, SUMMARY_SUBMITTED, exchange, summary,
          recipients=list(theme.notify_emails) if theme else [])
    session.flush()
    return summary


def approve_summary(session: Session, exchange: Exchange, staff: Staff, comment: str = "") -> Summary:
    summary = _existing(session, exchange)
    _must_be_submitted(summary, "approved")
    _audit(session, staff, "summary.approved", exchange, summary, "approved")
    summary.status = "approved"
    summary.approved_version = summary.latest_version
    summary.return_comment = None
    _record(session, summary, "approved", staff, comment or None)
    with_comment = {"comment": comment} if comment else {}  # absent, not null, when there is none
    _emit(session, SUMMARY_APPROVED, exchange, summary, recipients=list(exchange.host_accounts), **with_comment)
    request_rebuild(session, exchange.theme)
    session.flush()
    return summary


def return_summary(session: Session, exchange: Exchange, staff: Staff, comment: str) -> Summary:
    summary = _existing(session, exchange)
    if not comment:
        raise ApiError(422, _("Say what the host should change."), fields={"comment": [_("Say what the host should change.")]})
    _must_be_submitted(summary, "returned")
    _audit(session, staff, "summary.returned", exchange, summary, "returned")
    summary.status = "returned"
    summary.return_comment = comment
    _record(session, summary, "returned", staff, comment)
    _emit(session, SUMMARY_RETURNED, exchange, summary, comment=comment,
          recipients=list(exchange.host_accounts))
    session.flush()
    return summary


def mark_folded_in(session: Session, exchange: Exchange, application_id: int, folded: bool, staff: Staff) -> Reflection:
    """The host says a participant's reflection is (or is not yet) folded into the summary; the
    participant sees it on their page. 404 for a reflection that is not on this exchange."""
    row = session.get(Reflection, (exchange.id, application_id))
    if row is None:
        raise ApiError(404, _("There is no such reflection on this exchange."), code="not_found")
    if row.folded_in != folded:
        audit.record(session, staff, "reflection.folded_in", ("reflection", f"{exchange.id}/{application_id}"),
                     {"folded_in": row.folded_in}, {"folded_in": folded})
        row.folded_in = folded
    session.flush()
    return row


def _audit(session: Session, staff: Staff, action: str, exchange: Exchange, summary: Summary, status: str) -> None:
    audit.record(session, staff, action, ("summary", exchange.id), {"status": summary.status}, {"status": status})


def history_of(session: Session, summary: Summary) -> list[SummaryHistory]:
    return list(session.scalars(select(SummaryHistory).where(SummaryHistory.summary_id == summary.id)
                                .order_by(SummaryHistory.id)))


def versions_of(session: Session, summary: Summary) -> list[SummaryVersion]:
    return list(session.scalars(select(SummaryVersion).where(SummaryVersion.summary_id == summary.id)
                                .order_by(SummaryVersion.number)))


def settings(session: Session) -> ProgrammeSetting:
    row = session.get(ProgrammeSetting, 1)
    if row is None:
        row = ProgrammeSetting(id=1)
        session.add(row)
        session.flush()
    return row


def save_settings(session: Session, data: dict, staff: Staff | None = None) -> ProgrammeSetting:
    """The programme team's impact target and conference head count."""
    row = settings(session)
    before = {"impact_target": row.impact_target, "conference_attendees": row.conference_attendees}
    row.impact_target, row.conference_attendees = data["impact_target"], data["conference_attendees"]
    session.flush()
    if staff is not None:
        audit.record(session, staff, "settings.changed", ("programme", 1), before,
                     {"impact_target": row.impact_target, "conference_attendees": row.conference_attendees})
    return row


def update_theme(session: Session, code: str, data: dict, staff: Staff | None = None) -> Theme:
    theme = theme_or_404(session, code)
    before = _theme_snapshot(theme)
    theme.title = data["title"].strip()
    theme.aim = data["aim"].strip()
    theme.title_cy = (data.get("title_cy") or "").strip() or None
    theme.aim_cy = (data.get("aim_cy") or "").strip() or None
    theme.notify_emails = sorted({email.strip().lower() for email in data["notify_emails"]})
    request_rebuild(session, code)
    session.flush()
    if staff is not None:
        audit.record(session, staff, "learning_theme.changed", ("theme", code), before, _theme_snapshot(theme))
    return theme


def _theme_snapshot(theme: Theme) -> dict:
    return {"title": theme.title, "title_cy": theme.title_cy, "aim": theme.aim, "aim_cy": theme.aim_cy,
            "notify_emails": list(theme.notify_emails or [])}


def _is_empty(version: SummaryVersion | None) -> bool:
    """Nothing a reader could learn from: no insight and no text (outcomes ticked and
    contributors named say nothing on their own)."""
    return version is None or not (version.key_insights or version.innovations.strip()
                                   or version.challenges.strip() or version.transferable_ideas.strip())


def _existing(session: Session, exchange: Exchange) -> Summary:
    summary = summary_of(session, exchange.id)
    if summary is None or summary.latest_version == 0:
        raise ApiError(409, _("There is no summary of this exchange yet. Save one first."), code="no_summary")
    return summary


def _must_be_submitted(summary: Summary, becoming: str) -> None:
    if summary.status == "submitted":
        return
    reasons = {
        "returned": _("It was returned to the host: it can be approved once the host submits it again."),
        "draft": _("The host has not submitted it yet."),
        "approved": _("It is already approved."),
    }
    cannot = _("This summary cannot be approved.") if becoming == "approved" else _("This summary cannot be returned.")
    raise ApiError(409, f"{cannot} {reasons[summary.status]}", code=f"summary_{summary.status}")


def _check_outcomes(exchange: Exchange, outcomes_met: list[str]) -> None:
    """Outcomes met must be among the exchange's anticipated ones (when the host listed any)."""
    if not exchange.learning_outcomes:
        return
    unknown = [n for n, outcome in enumerate(outcomes_met) if outcome not in exchange.learning_outcomes]
    if unknown:
        raise ApiError(422, _("Some of the information given is not valid."), fields={
            f"outcomes_met.{n}": [_("Not one of this exchange's anticipated learning outcomes.")] for n in unknown})


def _record(session: Session, summary: Summary, action: str, staff: Staff, comment: str | None = None) -> None:
    session.add(SummaryHistory(summary_id=summary.id, action=action, version=summary.latest_version,
                               status=summary.status, actor_id=staff.id, actor_name=staff.name or "",
                               comment=comment))


def _emit(session: Session, event_type: str, exchange: Exchange, summary: Summary, **extra) -> None:
    """A `learning.summary.*` event: the contract's fields, learning's additions and `extra`, all of
    which its schema must declare (`emit` refuses any other field: a bug here, not data to drop)."""
    data = {"exchange_id": exchange.id, "theme": exchange.theme, "version": summary.latest_version,
            "title": exchange.title, "language": "en", "url": f"/learning/exchanges/{exchange.id}/summary",
            **extra}
    emit(session, event_type, data)
