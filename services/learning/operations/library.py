"""The public learning library: approved summaries whose hosts agreed to publish them.

Only the approved version is shown, never a draft. Search is by theme and by words anywhere in
the title or the summary; a programme has tens of summaries, so it is done in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import Exchange, Summary, SummaryVersion


@dataclass(frozen=True)
class Entry:
    exchange: Exchange
    version: SummaryVersion


def published(session: Session, theme: str | None = None) -> list[Entry]:
    query = (select(Exchange, SummaryVersion)
             .join(Summary, Summary.exchange_id == Exchange.id)
             .join(SummaryVersion, (SummaryVersion.summary_id == Summary.id)
                   & (SummaryVersion.number == Summary.approved_version))
             .where(Summary.publish.is_(True))
             .order_by(Exchange.theme, Exchange.starts_at))
    if theme:
        query = query.where(Exchange.theme == theme)
    return [Entry(exchange, version) for exchange, version in session.execute(query).all()]


def search(session: Session, theme: str | None, words: str) -> list[Entry]:
    wanted = [w for w in words.casefold().split() if w]
    return [entry for entry in published(session, theme) if all(w in _text(entry) for w in wanted)]


def entry(session: Session, exchange_id: int) -> Entry | None:
    return next((e for e in published(session) if e.exchange.id == exchange_id), None)


def _text(entry: Entry) -> str:
    v = entry.version
    return " ".join([entry.exchange.title, entry.exchange.host_name, entry.exchange.town, *v.key_insights,
                     v.innovations, v.challenges, v.transferable_ideas]).casefold()
