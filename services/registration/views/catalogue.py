"""The applicant's first pages: the catalogue of exchanges and each exchange's page.

Dates and times through `shared.i18n`'s formatter: Europe/London, in the page's language.
"""

from __future__ import annotations

from datetime import datetime
from functools import lru_cache

from flask import render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from shared.bilingual import text_in, town_in
from shared.forms import errors_by_field
from shared.i18n import format_date, format_date_time, format_time
from shared.web import db

from .. import operations
from ..models import Exchange
from ..operations.catalogue import ExchangeFilter, exchange_details, exchange_or_404, local_date
from ..schemas import ExchangeQuery
from .blueprint import blueprint
from .pages import grouped


@blueprint.app_template_filter("when")
def when(starts: str | datetime | None, ends: str | datetime | None = None) -> str:
    """"Tuesday 3 March 2026, 10:00am to 2:00pm" in UK time (an end on another day gets its date)."""
    if not starts:
        return ""
    return _when(starts, ends or None, str(get_locale()))


@lru_cache(maxsize=4096)
def _when(starts: str | datetime, ends: str | datetime | None, locale: str) -> str:
    """`when` for one locale. A pure function of its arguments, so the catalogue formats
    each distinct moment once per process: its exchanges share deadlines and session times, and
    Babel's formatting (through Flask-Babel, which looks the locale up again for every call) was
    a third of the catalogue's time."""
    starts = datetime.fromisoformat(starts) if isinstance(starts, str) else starts
    day = format_date(starts, locale, "day")
    start = format_time(starts, locale)
    if not ends:
        return _("%(day)s, %(time)s", day=day, time=start)
    ends = datetime.fromisoformat(ends) if isinstance(ends, str) else ends
    until = (format_time(ends, locale) if local_date(ends) == local_date(starts)
             else format_date_time(ends, locale, "day"))
    return _("%(day)s, %(start)s to %(end)s", day=day, start=start, end=until)


def with_commitments(exchanges: list[dict]) -> list[dict]:
    """Add each exchange's time commitment (a kx addition the contract's picture leaves out)."""
    commitments = {row.id: row for row in db().execute(
        select(Exchange.id, Exchange.time_commitment, Exchange.time_commitment_cy)
        .where(Exchange.id.in_([e["id"] for e in exchanges])))}
    return [{**e, "time_commitment": getattr(commitments.get(e["id"]), "time_commitment", ""),
             "time_commitment_cy": getattr(commitments.get(e["id"]), "time_commitment_cy", None)} for e in exchanges]


@blueprint.get("/")
def index():
    """The catalogue, filterable by theme (or sub-theme), day and town."""
    raw = {name: request.args.get(name, "").strip() for name in ("theme", "date", "town")}
    errors = {}
    try:
        query = ExchangeQuery().load({name: value for name, value in raw.items() if value})
    except ValidationError as invalid:
        errors = errors_by_field(invalid)
        query = {"theme": None, "date": None, "town": None}
    everything = operations.list_exchanges(db())
    shown = (operations.list_exchanges(db(), ExchangeFilter(theme=query["theme"], date=query["date"],
                                                            town=query["town"]))
             if any(query.values()) else everything)
    days = sorted({local_date(datetime.fromisoformat(e["starts_at"])) for e in everything})
    themes = operations.theme_tree(db())
    return render_template(
        "registration/index.html", groups=grouped(with_commitments(shown), themes), count=len(shown), filters=raw,
        errors=errors, form_errors=bool(errors), filtered=any(query.values()),
        theme_options=_theme_options(themes), day_options=[(d.isoformat(), format_date(d, style="day")) for d in days],
        town_options=sorted(((town, town_in(town)) for town in {e["location"]["town"] for e in everything}),
                            key=lambda option: option[1].casefold()),
    ), 422 if errors else 200


def _theme_options(themes: list[dict]) -> list[tuple[str, str]]:
    options = []
    for theme in themes:
        options.append((theme["code"], f"{theme['code']} {text_in(theme, 'title')}"))
        options += [(sub["code"], f"— {sub['code']} {text_in(sub, 'title')}") for sub in theme["subthemes"]]
    return options


@blueprint.get("/exchanges/<int:exchange_id>")
def exchange_page(exchange_id):
    """One exchange: everything the catalogue shows, the host's description and the anticipated
    learning outcomes, and the button to apply."""
    exchange = exchange_details(db(), exchange_or_404(db(), exchange_id))  # a draft: 404, as an unknown one
    return render_template("registration/exchange.html", **exchange_page_context(exchange))


def exchange_page_context(exchange: dict) -> dict:
    """What the exchange's page shows of an exchange (`exchange_details`): the page itself, and the
    staff's preview of it (views/exchanges.py), which must look exactly the same."""
    themes = {t["code"]: t for t in operations.theme_tree(db())}
    theme = themes.get(exchange["theme"])
    subtheme = next((s for s in theme["subthemes"] if s["code"] == exchange["subtheme"]), None) if theme else None
    return {"exchange": exchange, "theme": theme, "subtheme": subtheme}
