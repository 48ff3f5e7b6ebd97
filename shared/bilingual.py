"""Content in Welsh and English (CONTRACT.md): what the programme team and hosts write has an
optional Welsh version beside it, the same field with `_cy` (`title_cy`, `learning_outcomes_cy`).

The one rule, for pages, emails and packs alike: in Welsh, the Welsh version where there is one,
otherwise the English one, which a page marks `lang="en"` so that a screen reader reads it in an
English voice. `localised(record, "title", language)` gives the text and its language; the Jinja
filters (`shared.web` installs them in every service) write it into a page in the page's language:

    {{ exchange | bilingual("title") }}            text, or <span lang="en">text</span>
    {{ exchange | bilingual_text("title") }}       the text alone, for <title> and option labels
    {% set outcomes = exchange | bilingual_list("learning_outcomes") %}
    <ul{{ outcomes.lang_attribute }}>{% for item in outcomes.text %}<li>{{ item }}</li>{% endfor %}</ul>
    {{ exchange.location.town | town }}            Caerdydd for Cardiff on a Welsh page
    <div{{ version.language | written_in }}>       lang="cy" on what was written in Welsh, on an English page

A record is a dict (the API's and events' pictures) or an object (a row); a field path may go
into a dict (`location.site`, whose Welsh is `location.site_cy`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from .i18n import current_language

#: Welsh forms of towns in Wales whose names differ in English and Welsh; a town missing here has
#: one name in both (Aberystwyth, Bangor, Llandudno, Pontypridd...) and is shown as it is
WELSH_TOWNS = {
    "abergavenny": "Y Fenni",
    "barmouth": "Abermaw",
    "barry": "Y Barri",
    "brecon": "Aberhonddu",
    "bridgend": "Pen-y-bont ar Ogwr",
    "builth wells": "Llanfair-ym-Muallt",
    "caerphilly": "Caerffili",
    "cardiff": "Caerdydd",
    "cardigan": "Aberteifi",
    "carmarthen": "Caerfyrddin",
    "chepstow": "Cas-gwent",
    "cowbridge": "Y Bont-faen",
    "denbigh": "Dinbych",
    "ebbw vale": "Glynebwy",
    "fishguard": "Abergwaun",
    "haverfordwest": "Hwlffordd",
    "holyhead": "Caergybi",
    "holywell": "Treffynnon",
    "llandovery": "Llanymddyfri",
    "merthyr tydfil": "Merthyr Tudful",
    "milford haven": "Aberdaugleddau",
    "mold": "Yr Wyddgrug",
    "monmouth": "Trefynwy",
    "neath": "Castell-nedd",
    "newport": "Casnewydd",
    "newtown": "Y Drenewydd",
    "pembroke": "Penfro",
    "pembroke dock": "Doc Penfro",
    "rhyl": "Y Rhyl",
    "ruthin": "Rhuthun",
    "st asaph": "Llanelwy",
    "st davids": "Tyddewi",
    "swansea": "Abertawe",
    "tenby": "Dinbych-y-pysgod",
    "welshpool": "Y Trallwng",
    "wrexham": "Wrecsam",
}


@dataclass(frozen=True)
class Localised:
    """A text as shown in a language: `lang` is the language the text is in."""

    text: Any
    lang: str

    @property
    def lang_attribute(self) -> Markup:
        """` lang="en"` when the text is not in the page's language, for the element that holds it."""
        return Markup(' lang="%s"') % self.lang if self.lang != current_language() else Markup("")


def _get(record, path: str):
    value = record
    for name in path.split("."):
        if value is None:
            return None
        value = value.get(name) if isinstance(value, dict) else getattr(value, name, None)
    return value


def localised(record, field: str, language: str | None = None) -> Localised:
    """The field of the record in the language (the request's by default): its Welsh version
    (`<field>_cy`) in Welsh where it has one, otherwise the English."""
    language = language or current_language()
    if language == "cy":
        welsh = _get(record, f"{field}_cy")
        if welsh:
            return Localised(welsh, "cy")
    english = _get(record, field)
    return Localised(english if english is not None else "", "en")


def text_in(record, field: str, language: str | None = None):
    """Just the text of `localised()`: for emails and packs, which mark nothing."""
    return localised(record, field, language).text


def paired(record, field: str, language: str | None = None) -> Localised:
    """A list field whose items are matched by position with the English ones (the anticipated
    outcomes, ticked by their English text): its Welsh only when it has one item for each English
    one, otherwise the English list."""
    english = list(_get(record, field) or [])
    shown = localised(record, field, language)
    if len(shown.text) != len(english):
        return Localised(english, "en")
    return Localised(list(shown.text), shown.lang)


def town_in(town: str | None, language: str | None = None) -> str:
    """The town's name in the language: its Welsh form where it differs (Caerdydd, Abertawe)."""
    if not town:
        return ""
    if (language or current_language()) == "cy":
        return WELSH_TOWNS.get(town.strip().casefold(), town)
    return town


def in_page(record, field: str) -> Markup:
    """The field as a page in its language shows it: English text on a Welsh page is wrapped in
    `<span lang="en">`."""
    shown = localised(record, field)
    if shown.lang != current_language():
        return Markup('<span lang="%s">%s</span>') % (shown.lang, shown.text)
    return escape(shown.text)


def written_in(language: str | None) -> Markup:
    """` lang="cy"` for an element holding what someone wrote in a language other than the page's
    (a summary, a reflection, a feedback comment): `<div{{ version.language | written_in }}>`."""
    if language and language != current_language():
        return Markup(' lang="%s"') % language
    return Markup("")


#: the Jinja filters, in the page's language (see the module's docstring)
FILTERS = {
    "bilingual": in_page,
    "bilingual_text": lambda record, field: text_in(record, field),
    "bilingual_list": lambda record, field: localised(record, field),
    "bilingual_paired": lambda record, field: paired(record, field),
    "town": lambda town: town_in(town),
    "written_in": written_in,
}
