"""Everything a pack shows, gathered into plain data; its hash is the pack's cache key.

The same inputs give the same hash, so a pack is built once per change. Only approved versions
go in: a draft never reaches a pack. The quotes a theme lead picked from the feedback comments, the
names of participants who signed a summary and the theme lead's published synthesis are inputs too.
"""

from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from shared.bilingual import localised, paired, text_in, town_in

from ..models import Exchange, Feedback, Summary, SummarySignature, SummaryVersion, Theme
from ..operations.comments import comments_on
from ..operations.figures import SMALL, attendees_by_exchange, participation
from ..operations.synthesis import published as published_synthesis
from .requests import PROGRAMME

HERE = Path(__file__).parent
#: the templates and stylesheet are inputs too: changing them rebuilds every pack
TEMPLATE_DIGEST = hashlib.sha256(b"".join(
    path.read_bytes() for path in sorted([*HERE.glob("templates/*"), *HERE.glob("assets/*")]))).hexdigest()

def scopes(session: Session) -> list[str]:
    return sorted(session.scalars(select(Theme.code))) + [PROGRAMME]


def gather(session: Session, scope: str, language: str) -> dict:
    """The pack of one theme (`scope` a theme code) or of the whole programme, as plain data."""
    themes = list(session.scalars(select(Theme).order_by(Theme.code)))
    if scope != PROGRAMME:
        themes = [t for t in themes if t.code == scope]
    exchanges = list(session.scalars(select(Exchange).where(Exchange.theme.in_([t.code for t in themes]))
                                     .order_by(Exchange.starts_at, Exchange.id)))
    approved = _approved_versions(session, [e.id for e in exchanges])
    counts = participation(session, [e.id for e in exchanges if e.id in approved])
    feedback = _feedback(session, exchanges)
    comments = comments_on(session, [e.id for e in exchanges])
    signed = _signatures(session, list(approved))
    theme_items = []
    for theme in themes:
        included = [_exchange(e, approved[e.id], counts[e.id], feedback[e.id], signed.get(e.id, []), language)
                    for e in exchanges if e.theme == theme.code and e.id in approved]
        theme_items.append({
            "code": theme.code, "title": text_in(theme, "title", language), "aim": text_in(theme, "aim", language),
            "exchanges": included,
            "pending": [{"id": e.id, "title": text_in(e, "title", language)} for e in exchanges
                        if e.theme == theme.code and e.id not in approved],
            "feedback": _total([feedback[e.id] for e in exchanges if e.theme == theme.code]),
            "synthesis": _synthesis(session, theme.code, language),
            "quotes": [{"exchange": text_in(e, "title", language), "text": row.comment, "written_in": row.language} for e in exchanges if e.theme == theme.code
                       for row in comments.of(e.id) if row.in_pack],
        })
    everything = [x for t in theme_items for x in t["exchanges"]]
    return {
        "scope": scope,
        "language": language,
        "title": text_in(themes[0], "title", language) if scope != PROGRAMME and themes else None,
        "themes": theme_items,
        "feedback": _total([feedback[e.id] for e in exchanges]),
        "as_of": max((x["saved_at"] for x in everything), default=None),
        "small": SMALL,
        "templates": TEMPLATE_DIGEST,
    }


def input_hash(context: dict) -> str:
    return hashlib.sha256(json.dumps(context, sort_keys=True, default=str).encode()).hexdigest()


def _synthesis(session: Session, theme: str, language: str) -> dict | None:
    """The theme lead's published synthesis (operations/synthesis.py) in the pack's language: each
    list in Welsh where it has one, with the language it is in (`lang`), so the pack can mark
    English text in a Welsh pack; None before one is published."""
    version = published_synthesis(session, theme)
    if version is None:
        return None
    key_messages, questions = (localised(version, name, language) for name in ("key_messages", "workshop_questions"))
    actions = [dict(item) for item in version.actions]
    welsh = bool(language == "cy" and actions and len(version.actions_cy or []) == len(actions))
    for item, text in zip(actions, version.actions_cy if welsh else [], strict=False):
        item["action"] = text
    return {"version": version.number,
            "key_messages": {"items": list(key_messages.text), "lang": key_messages.lang},
            "workshop_questions": {"items": list(questions.text), "lang": questions.lang},
            "actions": {"items": actions, "lang": "cy" if welsh else "en"}}


def _approved_versions(session: Session, exchange_ids: list[int]) -> dict[int, SummaryVersion]:
    rows = session.execute(
        select(Summary.exchange_id, SummaryVersion)
        .join(SummaryVersion, (SummaryVersion.summary_id == Summary.id)
              & (SummaryVersion.number == Summary.approved_version))
        .where(Summary.exchange_id.in_(exchange_ids))).all()
    return {exchange_id: version for exchange_id, version in rows}


def _signatures(session: Session, exchange_ids: list[int]) -> dict[int, list[str]]:
    """The names participants signed each summary with (their consent to be named in the pack)."""
    names: dict[int, list[str]] = defaultdict(list)
    for row in session.scalars(select(SummarySignature).where(SummarySignature.exchange_id.in_(exchange_ids))
                               .order_by(SummarySignature.signed_at, SummarySignature.application_id)):
        names[row.exchange_id].append(row.name)
    return names


def _exchange(exchange: Exchange, version: SummaryVersion, counts: dict, feedback: dict, signed: list[str],
              language: str) -> dict:
    """One exchange of the pack; what the programme team wrote in the pack's language where it
    has it (shared/bilingual.py)."""
    return {
        "id": exchange.id, "title": text_in(exchange, "title", language), "subtheme": exchange.subtheme,
        "host": exchange.host_name, "site": text_in(exchange, "site", language),
        "town": town_in(exchange.town, language),
        "starts_at": exchange.starts_at.isoformat(), "ends_at": exchange.ends_at.isoformat(),
        **_outcomes(exchange, list(version.outcomes_met), language),
        "key_insights": list(version.key_insights), "innovations": version.innovations,
        "challenges": version.challenges, "transferable_ideas": version.transferable_ideas,
        # the language the host wrote it in: marked where it is not the pack's
        "written_in": version.language,
        "contributors": list(version.contributors) + [name for name in signed if name not in version.contributors],
        "version": version.number,
        "saved_at": version.created_at.isoformat(), "participation": counts, "feedback": feedback,
    }


def _outcomes(exchange: Exchange, met: list[str], language: str) -> dict:
    """The anticipated outcomes in the pack's language and which were met: the host ticks the
    English ones, so a Welsh outcome is met when the English one in its place is (Welsh is used
    only when it has one outcome for each English one)."""
    english = list(exchange.learning_outcomes)
    shown = paired(exchange, "learning_outcomes", language).text
    return {"outcomes": shown, "outcomes_met": [mine for mine, theirs in zip(shown, english, strict=True)
                                                if theirs in met]}


def _feedback(session: Session, exchanges: list[Exchange]) -> dict[int, dict]:
    ids = [e.id for e in exchanges]
    attendees = attendees_by_exchange(session)
    rows = session.execute(select(Feedback.exchange_id, Feedback.would_recommend, Feedback.rating)
                           .where(Feedback.exchange_id.in_(ids))).all()
    result = {i: {"responses": 0, "attendees": attendees.get(i, 0), "recommend": 0, "ratings": [0] * 5} for i in ids}
    for exchange_id, recommend, rating in rows:
        item = result[exchange_id]
        item["responses"] += 1
        item["recommend"] += int(bool(recommend))
        item["ratings"][rating - 1] += 1
    return result


def _total(items: list[dict]) -> dict:
    return {"responses": sum(i["responses"] for i in items), "attendees": sum(i["attendees"] for i in items),
            "recommend": sum(i["recommend"] for i in items),
            "ratings": [sum(i["ratings"][n] for i in items) for n in range(5)]}
