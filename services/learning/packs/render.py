"""Turning a pack's data into HTML and then PDF, safely.

- The template runs in Jinja's sandbox with autoescaping: a host's `<script>` is printed as text.
- WeasyPrint fetches nothing but this folder's own assets: `AssetsOnly` refuses the network,
  `data:` and every file outside `assets/`.
- The pack's language is a parameter: its words come from the service's Babel catalogue for it.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

import weasyprint
from babel.support import Translations
from jinja2 import FileSystemLoader, select_autoescape
from jinja2.sandbox import SandboxedEnvironment
from markupsafe import Markup
from weasyprint.urls import URLFetcher, URLFetcherResponse

from shared.i18n import format_date, format_date_time, msgid

from ..vocabularies import PARTICIPANT_TYPES, STAKEHOLDER_GROUPS
from . import charts

HERE = Path(__file__).parent
ASSETS = (HERE / "assets").resolve()
TRANSLATIONS = HERE.parent / "translations"
#: PDF/UA-1 (tagged, accessible) where the installed WeasyPrint offers it
PDF_VARIANT = "pdf/ua-1" if "pdf/ua-1" in getattr(weasyprint.pdf, "VARIANTS", {}) else None


class AssetsOnly(URLFetcher):
    """Serves files from the pack's assets folder; refuses everything else."""

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
            raise ValueError("packs fetch only their own assets")
        path = Path(unquote(parts.path)).resolve()
        if not path.is_relative_to(ASSETS) or not path.is_file():
            raise ValueError("packs fetch only their own assets")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": content_type})


def _environment(language: str) -> SandboxedEnvironment:
    env = SandboxedEnvironment(loader=FileSystemLoader(str(HERE / "templates")),
                               autoescape=select_autoescape(default=True), extensions=["jinja2.ext.i18n"])
    translations = Translations.load(str(TRANSLATIONS), [language])
    env.install_gettext_translations(translations, newstyle=True)
    env.filters["date"] = lambda iso: format_date(iso, language)
    env.filters["when"] = lambda iso: format_date_time(iso, language, "day")
    env.filters["paragraphs"] = lambda text: [p.strip() for p in (text or "").split("\n\n") if p.strip()]
    env.globals["percentage_bars"] = lambda *a: Markup(charts.percentage_bars(*a))  # noqa: S704 - built escaped
    env.globals["rating_columns"] = lambda *a: Markup(charts.rating_columns(*a))  # noqa: S704 - built escaped
    env.globals["pct"] = lambda part, whole: round(100 * part / whole) if whole else None
    # the service's vocabularies, translated with the pack's catalogue (not the request's language)
    env.globals.update(PARTICIPANT_TYPES=PARTICIPANT_TYPES, STAKEHOLDER_GROUPS=STAKEHOLDER_GROUPS)
    env.filters["label"] = lambda code, vocabulary: (
        translations.gettext(msgid(vocabulary[code])) if code in vocabulary else code)
    return env


def render_html(context: dict) -> str:
    return _environment(context["language"]).get_template("pack.html").render(pack=context)


def write_pdf(html: str, on_stage=lambda stage: None) -> tuple[bytes, int]:
    """The PDF and its page count. `on_stage` hears "rendering" and then "writing"."""
    on_stage("rendering")
    document = weasyprint.HTML(string=html, base_url=ASSETS.as_uri() + "/", url_fetcher=AssetsOnly()).render()
    on_stage("writing")
    options = {"pdf_variant": PDF_VARIANT} if PDF_VARIANT else {}
    return document.write_pdf(**options), len(document.pages)
