"""Writing a message: a template's subject, plain text and HTML, in the recipient's language.

Each message has two Jinja templates under `templates/notifications/email/`: `<name>.txt`
(whose `subject` block is the subject) and `<name>.html`, extending one shared layout each.
Every string goes through Flask-Babel, so Welsh is a catalogue away; dates and times through
`shared.i18n`'s formatter, in Europe/London whatever the server's zone.

Handlers run outside any request, so rendering uses its own small Flask app (templates and
Babel only) and `force_locale` inside its app context. `in_language` looks the catalogue up once
and the templates' `_()`/`ngettext()` use it directly: through Flask-Babel's own callables every
one of a message's sixty-odd strings would look up the app, the locale and the catalogue again.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import Flask, render_template
from flask_babel import Babel, force_locale, get_locale, get_translations

from shared.bilingual import text_in
from shared.i18n import format_date, format_time

PACKAGE_DIR = Path(__file__).parents[1]  # the service: its templates and translations
SHARED_TRANSLATIONS = PACKAGE_DIR.parent.parent / "shared" / "translations"

_app: Flask | None = None
_app_lock = threading.Lock()
#: inside `in_language`: the catalogue and locale of that language (per thread, per context)
_language: ContextVar[tuple | None] = ContextVar("kx_mail_language", default=None)


class MissingField(Exception):
    """An event lacks something a template needs. Names the field, never the person."""

    loggable = True

    def __init__(self, event_type: str, field: str):
        super().__init__(f"{event_type}: the message needs `{field}`, which the event does not carry")
        self.field = field


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


@contextmanager
def in_language(language: str) -> Iterator[None]:
    """Inside, `gettext` and the date filters speak `language` (the `.ics` uses it too)."""
    with mail_app().app_context(), force_locale(language):
        token = _language.set((get_translations(), str(get_locale())))
        try:
            yield
        finally:
            _language.reset(token)


def _translations():
    current = _language.get()
    return current[0] if current is not None else get_translations()


def _locale() -> str:
    current = _language.get()
    return current[1] if current is not None else str(get_locale())


def gettext(string: str, **variables) -> str:
    """Flask-Babel's `gettext`, with the catalogue `in_language` chose."""
    translated = _translations().ugettext(string)
    return translated % variables if variables else translated


def render(template_file: str, language: str, /, **context) -> Rendered:
    """Subject, plain text and HTML of `email/<template_file>.txt|.html`, written in `language`."""
    app = mail_app()
    context = {name: _in(value, language) for name, value in context.items()}
    with in_language(language):
        text_template = app.jinja_env.get_template(f"notifications/email/{template_file}.txt")
        block = text_template.blocks["subject"]
        subject = "".join(block(text_template.new_context(_with_globals(app, context))))
        text = render_template(f"notifications/email/{template_file}.txt", **context)
        html = render_template(f"notifications/email/{template_file}.html", **context)
    return Rendered(subject=_one_line(subject), text=_tidy(text), html=html)


def _in(value, language: str):
    """What people wrote, in the message's language: an exchange (`ExchangeView`) or another
    exchange named by its title (`{"title", "title_cy", ...}`) in Welsh where it has Welsh."""
    if hasattr(value, "in_language"):
        return value.in_language(language)
    if isinstance(value, list):
        return [_in(item, language) for item in value]
    if isinstance(value, dict):
        shown = {name: _in(item, language) for name, item in value.items()}
        if "title_cy" in value:
            shown["title"] = text_in(value, "title", language)
        return shown
    return value


def mail_app() -> Flask:
    global _app
    with _app_lock:
        if _app is None:
            _app = _make_app()
        return _app


def _make_app() -> Flask:
    app = Flask(__name__, template_folder=str(PACKAGE_DIR / "templates"))
    app.config["BABEL_DEFAULT_TIMEZONE"] = "Europe/London"
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = ";".join(
        str(p) for p in (PACKAGE_DIR / "translations", SHARED_TRANSLATIONS))
    Babel(app)
    app.jinja_env.install_gettext_callables(
        gettext=lambda s: _translations().ugettext(s),
        ngettext=lambda s, p, n: _translations().ungettext(s, p, n),
        newstyle=True,
        pgettext=lambda c, s: _translations().upgettext(c, s),
        npgettext=lambda c, s, p, n: _translations().unpgettext(c, s, p, n),
    )
    app.jinja_env.filters.update(day=day, time=time_of_day, when=when)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    return app


def _with_globals(app: Flask, context: dict) -> dict:
    merged = dict(app.jinja_env.globals)
    merged.update(context)
    return merged


def day(moment: datetime) -> str:
    """`Monday 10 March 2025`, `Dydd Llun 10 Mawrth 2025`: in Europe/London and the current language."""
    return format_date(moment, _locale(), "day")


def time_of_day(moment: datetime) -> str:
    """`9:30am` (GOV.UK style), `09:30` (CLDR's Welsh): in Europe/London and the current language."""
    return format_time(moment, _locale())


def when(moment: datetime) -> str:
    """`Monday 10 March 2025 at 9:30am`, `Dydd Llun 10 Mawrth 2025 am 09:30`."""
    return gettext("%(day)s at %(time)s", day=day(moment), time=time_of_day(moment))


def _one_line(text: str) -> str:
    # A subject is one header line: no newline can smuggle in another header.
    return re.sub(r"\s+", " ", text).strip()[:300]


def _tidy(text: str) -> str:
    # Templates leave runs of blank lines where optional paragraphs were skipped.
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
