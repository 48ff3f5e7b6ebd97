"""Welsh everywhere: every message has a Welsh translation, the compiled catalogues match their
sources, Welsh plurals use CLDR's six forms, and every page offers the other language.

The extraction runs pybabel's own extractor over the same sources and options as
`make translations`, so a string added without Welsh fails here, naming it.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask

from shared.testing import embedded_env

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = ("shared", "services/registration", "services/notifications", "services/learning",
              "services/expenses")
KEYWORDS = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None, "_l": None, "N_": None,
            "pgettext": ((1, "c"), 2), "npgettext": ((1, "c"), 2, 3)}
METHODS = [("**/tests/**", "ignore"), ("**/migrations/**", "ignore"), ("**.py", "python"),
           ("**/templates/**.html", "jinja2"), ("**/templates/**.txt", "jinja2")]


def _po(directory: str):
    return read_po((ROOT / directory / "translations/cy/LC_MESSAGES/messages.po").open("rb"))


def _source_messages(directory: str) -> set:
    found = set()
    for _file, _line, message, _comments, _context in extract_from_dir(str(ROOT / directory), METHODS, keywords=KEYWORDS):
        found.add(message if isinstance(message, str) else tuple(message))
    return found


def test_the_extraction_finds_strings_marked_lazily():
    """`_l(...)` (lazy_gettext, for strings made before a request has a language) marks a message
    like `_(...)`: registration's stakeholder groups and expenses's kinds of cost are among them."""
    assert "Lived experience" in _source_messages("services/registration")
    assert "Parking" in _source_messages("services/expenses")


@pytest.mark.parametrize("directory", CATALOGUES)
def test_every_message_in_the_sources_has_a_welsh_translation(directory):
    catalogue = _po(directory)
    missing = []
    for message in sorted(_source_messages(directory), key=str):
        key = message if isinstance(message, str) else message[0]
        entry = catalogue.get(key)
        strings = () if entry is None else (entry.string if isinstance(entry.string, tuple) else (entry.string,))
        if entry is None or not all(s.strip() for s in strings) or "fuzzy" in entry.flags:
            missing.append(key)
    assert not missing, (
        f"{len(missing)} message(s) of {directory} have no Welsh translation; run `make translations` and "
        "translate them in its cy/LC_MESSAGES/messages.po:\n  " + "\n  ".join(missing))


@pytest.mark.parametrize("directory", CATALOGUES)
def test_no_welsh_entry_is_left_in_english(directory):
    same = [m.id for m in _po(directory) if m.id and isinstance(m.id, str) and m.string == m.id
            and any(c.isalpha() for c in m.id) and m.id not in _SAME_IN_WELSH]
    assert not same, f"{directory}: Welsh left identical to English: {same}"


_SAME_IN_WELSH = {"Staff", "HTML", "Message-ID", "Email"}  # words Welsh borrows as they are


@pytest.mark.parametrize("directory", CATALOGUES)
def test_the_compiled_catalogue_matches_its_po_file(directory):
    folder = ROOT / directory / "translations/cy/LC_MESSAGES"
    compiled = read_mo((folder / "messages.mo").open("rb"))
    expected = {_key(m): _strings(m) for m in read_po((folder / "messages.po").open("rb"))
                if m.id and all(_strings(m)) and "fuzzy" not in m.flags}
    actual = {_key(m): _strings(m) for m in compiled if m.id}
    stale = {key: actual.get(key) for key in expected if actual.get(key) != expected[key]}
    assert not stale, f"{folder}/messages.mo is out of date (run `make translations`): {sorted(stale)[:10]}"


def _key(message) -> str:
    return message.id if isinstance(message.id, str) else message.id[0]


def _strings(message) -> tuple:
    return tuple(message.string) if isinstance(message.string, list | tuple) else (message.string,)


def _welsh(directory: str) -> Translations:
    return Translations.load(str(ROOT / directory / "translations"), ["cy"])


def test_welsh_plurals_follow_cldr_six_forms():
    translations = _welsh("services/learning")
    forms = [translations.plural(n) for n in (0, 1, 2, 3, 6, 7)]
    assert forms == [0, 1, 2, 3, 4, 5], "zero, one, two, few, many, other"
    said = {n: translations.ungettext("%(num)s summary", "%(num)s summaries", n) % {"num": n} for n in (1, 2, 3, 7)}
    assert said == {1: "1 crynodeb", 2: "2 grynodeb", 3: "3 chrynodeb", 7: "7 o grynodebau"}


def test_every_catalogue_declares_the_welsh_plural_rule():
    for directory in CATALOGUES:
        assert _po(directory).num_plurals == 6, directory


# --- the language of a page -----------------------------------------------------------------------


@pytest.fixture
def learning_client(tmp_path):
    from services.learning import create_app
    from services.learning.service import SERVICE
    from shared.config import load
    from shared.service import Runtime
    from shared.testing import migrate

    runtime = Runtime(SERVICE, load(embedded_env(tmp_path / "var")))
    migrate(runtime)
    app = create_app({"KX_RUNTIME": runtime, "TESTING": True})
    yield app.test_client()
    runtime.dispose()


def test_a_first_visit_follows_accept_language(learning_client):
    page = learning_client.get("/learning/library/", headers={"Accept-Language": "cy-GB,cy;q=0.9,en;q=0.5"})
    assert page.status_code == 200
    assert '<html lang="cy">' in page.text
    assert "Llyfrgell ddysgu" in page.text
    assert "Accept-Language" in page.headers["Vary"]

    english = learning_client.get("/learning/library/", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert '<html lang="en">' in english.text and "Learning library" in english.text


def test_the_language_link_leads_to_the_same_page_in_the_other_language_keeping_the_query(learning_client):
    page = learning_client.get("/learning/library/?q=open+access&theme=T1").text
    assert 'href="/learning/library/?q=open+access&amp;theme=T1&amp;lang=cy"' in page
    assert 'lang="cy" hreflang="cy">Cymraeg</a>' in page

    welsh = learning_client.get("/learning/library/?q=open+access&theme=T1&lang=cy").text
    assert '<html lang="cy">' in welsh
    assert 'href="/learning/library/?q=open+access&amp;theme=T1&amp;lang=en"' in welsh
    assert 'lang="en" hreflang="en">English</a>' in welsh


def test_the_chosen_language_is_kept_in_a_cookie(learning_client):
    chosen = learning_client.get("/learning/library/?lang=cy", headers={"Accept-Language": "en"})
    cookie = chosen.headers["Set-Cookie"]
    assert cookie.startswith("kx_lang=cy;") and "SameSite=Lax" in cookie and "HttpOnly" in cookie
    assert "Secure" not in cookie  # served over plain HTTP here

    later = learning_client.get("/learning/library/", headers={"Accept-Language": "en"})
    assert '<html lang="cy">' in later.text, "the cookie outranks Accept-Language"


def test_only_a_page_read_in_a_language_sets_the_cookie_not_a_file_or_an_answer(learning_client):
    answer = learning_client.get("/learning/healthz?lang=cy")
    assert answer.mimetype != "text/html" and "kx_lang" not in answer.headers.get("Set-Cookie", "")


def test_the_language_cookie_is_secure_over_tls(learning_client):
    chosen = learning_client.get("/learning/library/?lang=cy", base_url="https://localhost")
    assert "Secure" in chosen.headers["Set-Cookie"]


def test_an_unknown_language_is_ignored(learning_client):
    page = learning_client.get("/learning/library/?lang=fr", headers={"Accept-Language": "fr"})
    assert page.status_code == 200 and '<html lang="en">' in page.text
    assert "Set-Cookie" not in page.headers or "kx_lang" not in page.headers["Set-Cookie"]


def test_error_pages_and_json_errors_speak_welsh(learning_client):
    page = learning_client.get("/learning/no-such-page?lang=cy", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "Heb ddod o hyd i'r dudalen" in page.text
    answer = learning_client.get("/learning/api/feedback/summary", headers={"Accept-Language": "cy"})
    assert answer.status_code == 401 and answer.json["error"]["message"] == "Mewngofnodwch i barhau."


def test_marshmallow_defaults_are_shown_in_welsh():
    from marshmallow import Schema, ValidationError, fields

    from shared.errors import flatten_fields
    from shared.web import translation_directories

    class Example(Schema):
        name = fields.Str(required=True)

    app = Flask(__name__)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories(ROOT / "services/learning")
    from flask_babel import Babel, force_locale

    Babel(app)
    with app.app_context(), force_locale("cy"):
        try:
            Example().load({})
        except ValidationError as error:
            assert flatten_fields(error.messages) == {"name": ["Mae data ar goll ar gyfer maes gofynnol."]}


def test_emails_are_written_in_the_recipients_language():
    from services.notifications.operations.rendering import in_language, when

    moment = datetime(2025, 3, 10, 9, 30, tzinfo=UTC)
    with in_language("cy"):
        assert when(moment) == "Dydd Llun 10 Mawrth 2025 am 09:30", "CLDR's Welsh time, 24-hour"
    with in_language("en"):
        assert when(moment) == "Monday 10 March 2025 at 9:30am"


def test_the_accessibility_statement_is_served_in_both_languages(tmp_path):
    from services.registration import create_app
    from services.registration.service import SERVICE
    from shared.config import load
    from shared.migrations import upgrade
    from shared.service import Runtime

    runtime = Runtime(SERVICE, load(embedded_env(tmp_path / "var")))
    upgrade(runtime)
    client = create_app({"KX_RUNTIME": runtime, "TESTING": True}).test_client()
    english = client.get("/registration/accessibility?lang=en")
    welsh = client.get("/registration/accessibility?lang=cy")
    runtime.dispose()
    assert english.status_code == welsh.status_code == 200
    assert "<h1 class=\"kx-heading-xl\">Accessibility statement</h1>" in english.text
    assert "<h1 class=\"kx-heading-xl\">Datganiad hygyrchedd</h1>" in welsh.text
    assert 'href="/registration/accessibility"' in english.text, "linked from every page's footer"

