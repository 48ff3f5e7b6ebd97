"""Translation for the shared modules, which also run in apps without Babel (tests' bare Flask apps),
and the one formatter of dates and times that pages, emails and PDF packs share.

Dates and times are shown in Europe/London, as CLDR writes them in the reader's language (Babel):
Welsh `Dydd Llun 10 Mawrth 2025, 09:30` (CLDR's Welsh times are 24-hour); English `Monday 10 March
2025, 9:30am`, CLDR's 12-hour time written the GOV.UK way (no space, lower case). Each function takes
the language, or else uses the request's (English outside one).

Stored codes (a status, a kind of cost, a stage) are never shown as they are: each service keeps one
vocabulary per kind of code, a dict of lazily translated labels, and pages show `label(code,
VOCABULARY)` (the `label` filter). APIs keep the codes, which are their contract.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from functools import lru_cache
from zoneinfo import ZoneInfo

from babel import Locale
from babel import dates as babel_dates
from flask import current_app, has_app_context
from flask_babel import gettext

LONDON = ZoneInfo("Europe/London")
#: date patterns by style: a day with its weekday, a date, a short date for tables, a month
DATE_PATTERNS = {"day": "EEEE d MMMM y", "long": "d MMMM y", "short": "d MMM y", "month": "LLLL y"}


def _(message: str, **variables) -> str:
    """`flask_babel.gettext`, or the English message where no Babel is set up."""
    if _babel_here():
        return gettext(message, **variables)
    return message % variables if variables else message


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message


def _babel_here() -> bool:
    return has_app_context() and "babel" in current_app.extensions


def current_language() -> str:
    """The language of the request (or of `force_locale`), else English."""
    if _babel_here():
        from flask_babel import get_locale

        found = get_locale()
        if found is not None:
            return str(found)
    return "en"


@lru_cache(maxsize=16)
def _locale(language: str) -> Locale:
    return Locale.parse(language)


def local(moment: datetime) -> datetime:
    """The moment in Europe/London; a naive one is taken as UTC, as the database keeps them."""
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).astimezone(LONDON)


def _moment(value: str | date | datetime) -> date | datetime:
    """A date or moment; a string is ISO 8601, or a month `2025-03` (its first day)."""
    if isinstance(value, str):
        return date.fromisoformat(f"{value}-01") if len(value) == 7 else datetime.fromisoformat(value)
    return value


def format_time(value: str | datetime | None, language: str | None = None, *, seconds: bool = False) -> str:
    """The time of day in Europe/London: Welsh `09:30`, English `9:30am` (`09:30:05`, `9:30:05am`
    with seconds); "" for None."""
    if not value:
        return ""
    moment = local(_moment(value))
    text = babel_dates.format_time(moment.time(), "medium" if seconds else "short",
                                   locale=_locale(language or current_language()))
    return text.replace("\u202f", "").replace(" ", "").lower()


def format_date(value: str | date | datetime | None, language: str | None = None, style: str = "long") -> str:
    """A date (a moment's date in Europe/London): style `day` `Monday 10 March 2025` (`Dydd Llun
    10 Mawrth 2025`), `long` `10 March 2025`, `short` `10 Mar 2025` (`10 Maw 2025`), `month` `March
    2025` (`Mawrth 2025`, also of a month given as `2025-03`); "" for None."""
    if not value:
        return ""
    moment = _moment(value)
    day = local(moment).date() if isinstance(moment, datetime) else moment
    return babel_dates.format_date(day, DATE_PATTERNS[style], locale=_locale(language or current_language()))


def format_date_time(value: str | datetime | None, language: str | None = None, style: str = "long", *,
                     seconds: bool = False) -> str:
    """A moment's date and time in Europe/London: `10 March 2025, 9:30am`, `10 Mawrth 2025, 09:30`."""
    if not value:
        return ""
    language = language or current_language()
    return f"{format_date(value, language, style)}, {format_time(value, language, seconds=seconds)}"


def label(code: str | None, vocabulary: Mapping) -> str:
    """The reader's words for a stored code, from its vocabulary (code -> lazy_gettext label); ""
    for None. A code the vocabulary lacks is shown as it is rather than failing the page; the
    services' tests render their pages in Welsh to keep every vocabulary complete."""
    if code is None:
        return ""
    found = vocabulary.get(code)
    return str(found) if found is not None else str(code)


def msgid(text) -> str:
    """The English message of a lazy_gettext label, to translate it with a catalogue of one's own
    (the PDF packs are written outside any request, in the pack's language)."""
    args = getattr(text, "_args", None)
    return args[0] if args else str(text)


#: the Jinja filters every service's templates have (`shared.web`), in the page's language:
#: `{{ moment | local_datetime("short") }}`, `{{ day | local_date("day") }}`, `{{ moment | local_time }}`,
#: and a stored code in words, `{{ claim.status | label(CLAIM_STATUSES) }}`
FILTERS = {
    "local_date": lambda value, style="long": format_date(value, style=style),
    "local_time": lambda value, seconds=False: format_time(value, seconds=seconds),
    "local_datetime": lambda value, style="long", seconds=False: format_date_time(value, style=style, seconds=seconds),
    "label": label,
}
