"""Feedback comments: what participants wrote beside their rating. The hosts of an exchange read
its comments, the leads of its theme read the theme's and pick quotes for the workshop pack.

Comments carry no names. An exchange's comments are shown only once it has as many responses as
its feedback figures need (`figures.SMALL`): with fewer, a comment could be told apart as one
person's, so they stay hidden everywhere, on the pages and in the pack alike.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from shared import audit
from shared.auth import Staff
from shared.errors import ApiError

from ..models import Exchange, Feedback
from ..packs.requests import request_rebuild
from .figures import SMALL


@dataclass
class Comments:
    """The comments that may be shown, by exchange, and the exchanges whose comments are held back."""

    shown: dict[int, list[Feedback]] = field(default_factory=dict)
    #: exchanges with comments but fewer than `SMALL` responses
    withheld: list[int] = field(default_factory=list)

    def of(self, exchange_id: int) -> list[Feedback]:
        return self.shown.get(exchange_id, [])

    @property
    def all(self) -> list[Feedback]:
        return [row for rows in self.shown.values() for row in rows]


def comments_on(session: Session, exchange_ids: list[int]) -> Comments:
    """The comments on these exchanges, oldest first, each exchange's only if it has enough responses."""
    rows = list(session.scalars(select(Feedback).where(Feedback.exchange_id.in_(exchange_ids))
                                .order_by(Feedback.id)))
    responses = Counter(row.exchange_id for row in rows)
    result = Comments()
    for exchange_id in exchange_ids:
        written = [row for row in rows if row.exchange_id == exchange_id and row.comment.strip()]
        if not written:
            continue
        if responses[exchange_id] < SMALL:
            result.withheld.append(exchange_id)
        else:
            result.shown[exchange_id] = written
    return result


def theme_exchanges(session: Session, code: str) -> list[Exchange]:
    return list(session.scalars(select(Exchange).where(Exchange.theme == code).order_by(Exchange.starts_at, Exchange.id)))


def pick_quotes(session: Session, code: str, picked: set[int], staff: Staff) -> None:
    """The theme's comments to quote in its pack: exactly `picked` (ids of comments shown for the theme)."""
    comments = comments_on(session, [e.id for e in theme_exchanges(session, code)]).all
    unknown = picked - {row.id for row in comments}
    if unknown:
        message = _("One of the comments chosen is not among this theme's comments. Reload the page and choose again.")
        raise ApiError(422, message, fields={"quotes": [message]})
    before = sorted(row.id for row in comments if row.in_pack)
    for row in comments:
        row.in_pack = row.id in picked
    after = sorted(picked)
    if before != after:
        audit.record(session, staff, "quotes.picked", ("theme", code), {"quotes": before}, {"quotes": after})
        request_rebuild(session, code)
    session.flush()
