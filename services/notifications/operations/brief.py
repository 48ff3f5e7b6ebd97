"""An exchange as messages show it, from a booking event's brief or from the projection."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from shared.bilingual import text_in, town_in

from ..models import Exchange


@dataclass(frozen=True)
class Session:
    starts_at: datetime
    url: str | None


@dataclass(frozen=True)
class ExchangeView:
    id: int
    title: str
    starts_at: datetime
    ends_at: datetime
    site: str
    town: str
    host_name: str
    orientation: Session | None
    reflection: Session | None
    #: the Welsh title and site, where registration has them
    title_cy: str | None = None
    site_cy: str | None = None

    def session(self, kind: str) -> Session | None:
        """The start (and link) of `orientation`, `exchange` or `reflection`."""
        if kind == "exchange":
            return Session(self.starts_at, None)
        return getattr(self, kind)

    def in_language(self, language: str) -> ExchangeView:
        """The exchange as a message in `language` names it: in Welsh, its Welsh title and site
        where it has them and the Welsh name of its town (shared/bilingual.py)."""
        return replace(self, title=text_in(self, "title", language), site=text_in(self, "site", language),
                       town=town_in(self.town, language))

    @classmethod
    def from_row(cls, row: Exchange) -> ExchangeView:
        def session(starts_at, url):
            return Session(starts_at, url) if starts_at else None

        return cls(id=row.id, title=row.title, starts_at=row.starts_at, ends_at=row.ends_at, site=row.site,
                   town=row.town, host_name=row.host_name,
                   orientation=session(row.orientation_starts_at, row.orientation_url),
                   reflection=session(row.reflection_starts_at, row.reflection_url),
                   title_cy=row.title_cy, site_cy=row.site_cy)
