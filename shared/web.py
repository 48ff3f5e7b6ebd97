"""What every service's web app shares: configuration order, the request's database session and
its one commit, errors, security headers, CSRF, languages, templates and `healthz`.

A service's `create_app(config=None)` calls `create_service_app` and registers its blueprints.
Configuration is applied in order: defaults, then the environment, then the caller's overrides.

The request is the commit point (as Indico's request handler is): views and operations only write
into `db()`; the app commits once the view's answer is known and below 400, and rolls back
otherwise. A view that must keep a write even when it refuses says so with
`@commit_even_when_refused`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from urllib.parse import urlencode

from flask import Blueprint, Flask, Response, current_app, g, jsonify, request
from flask.sessions import SecureCookieSessionInterface
from flask_babel import Babel, get_locale, get_translations
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError, CSRFProtect
from jinja2 import ChoiceLoader, FileSystemLoader, pass_context
from marshmallow import ValidationError, fields
from sqlalchemy import text
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import bilingual, diagnostics, logs, staff_nav
from .api import STAFF, Output, access, response
from .auth import authorise
from .config import load
from .db import MAX_ID
from .errors import ApiError, register_error_handlers, respond
from .i18n import FILTERS
from .request_session import close_session, db, runtime
from .service import Runtime, Service

SHARED_DIR = Path(__file__).parent
LANGUAGES = ("en", "cy")
LANGUAGE_COOKIE = "kx_lang"
#: each language's name in itself, as the language link shows it
LANGUAGE_NAMES = {"en": "English", "cy": "Cymraeg"}

DEFAULTS = {
    "MAX_CONTENT_LENGTH": 64 * 1024,  # applications and forms; expenses raises it for receipts
    "SESSION_COOKIE_NAME": "kx_session",  # one origin, one cookie: a signed-in member of staff is signed in everywhere
    "SESSION_COOKIE_PATH": "/",
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "WTF_CSRF_TIME_LIMIT": None,  # a slow form-filler is not an attacker
    "JSON_SORT_KEYS": False,
    "BABEL_DEFAULT_LOCALE": "en",
    "BABEL_DEFAULT_TIMEZONE": "Europe/London",
}

csrf = CSRFProtect()


class DatabaseId(IntegerConverter):
    """`<int:...>` in every route: a number that fits the id columns (PostgreSQL `integer`).

    A longer one matches no route (404) instead of overflowing the database driver (500).
    """

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


class _SessionCookie(SecureCookieSessionInterface):
    """The session cookie is `Secure` whenever the request came over TLS (directly, or through a
    trusted proxy's X-Forwarded-Proto), and always with KX_SECURE_COOKIES=1."""

    def get_cookie_secure(self, app) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"] or request.is_secure)


class _OneCommitPerRequest(Flask):
    """Commits the request's session once the view has answered: below 400 it commits, from 400 it
    rolls back (a refusal leaves nothing behind), except in a view marked `commit_even_when_refused`,
    which keeps its writes on a 4xx too.

    Here, not in an `after_request` hook, so that a commit that fails (the database went away) is
    raised into Flask's error handlers like any view's error and answered with the one error body
    (503), instead of escaping as a 500.
    """

    def dispatch_request(self) -> Response:
        try:
            response = self.make_response(super().dispatch_request())
        except Exception as error:
            _end_transaction(_status_of(error))
            raise
        _end_transaction(response.status_code)
        return response


def commit_even_when_refused(view: Callable) -> Callable:
    """Keep this view's writes when it answers 4xx: a failed sign-in still counts towards the lockout."""
    view.kx_commit_even_when_refused = True
    return view


def lang_chooses_the_content(view: Callable) -> Callable:
    """This view's `?lang=` is the language of the file it sends (a pack in Welsh), not of the
    interface: it neither changes the pages' language nor the person's language cookie."""
    view.kx_lang_chooses_the_content = True
    return view


def _interface_lang_query() -> str | None:
    """`?lang=` when it asks for the interface's language."""
    if getattr(_current_view(), "kx_lang_chooses_the_content", False):
        return None
    return request.args.get("lang")


def _end_transaction(status: int) -> None:
    session = g.get("kx_db")
    if session is None:
        return
    refused_but_kept = 400 <= status < 500 and getattr(_current_view(), "kx_commit_even_when_refused", False)
    if status < 400 or refused_but_kept:
        session.commit()
    else:
        session.rollback()


def _current_view() -> Callable | None:
    rule = request.url_rule
    return current_app.view_functions.get(rule.endpoint) if rule is not None else None


def _status_of(error: Exception) -> int:
    """The status the error handlers will answer `error` with (shared/errors.py)."""
    if isinstance(error, ApiError):
        return error.status
    if isinstance(error, ValidationError):
        return 422
    if isinstance(error, HTTPException):
        return error.response.status_code if error.response is not None else error.code or 500
    return 500


def vocabularies(blueprint: Blueprint, **named: Mapping) -> None:
    """A service's vocabularies (code -> lazily translated label, `shared.i18n.label`) as globals of
    every template of its app, imported macros too: `{{ claim.status | label(CLAIM_STATUSES) }}`."""
    for name, vocabulary in named.items():
        blueprint.add_app_template_global(vocabulary, name)


def _csrf_refused(_error: CSRFError):
    """A form sent without its CSRF token, or with a stale one: 400 and a page that says what to do."""
    return respond(400, "csrf_failed", _("This form could not be accepted: it has expired or did not come from "
                                         "this site. Go back, reload the page and send it again."))


def create_service_app(service: Service, import_name: str, config: dict | None = None) -> Flask:
    config = dict(config or {})
    logs.configure(os.environ.get("KX_LOG_LEVEL", "INFO"))
    app = _OneCommitPerRequest(
        import_name,
        static_folder=str(service.package_dir / "static"),
        static_url_path=f"{service.prefix}/static",
        template_folder=str(service.package_dir / "templates"),
    )
    app.url_map.converters["int"] = DatabaseId
    app.config.update(DEFAULTS)
    runtime: Runtime = config.pop("KX_RUNTIME", None) or Runtime(service, config.pop("KX_SETTINGS", None) or load())
    app.config["SECRET_KEY"] = runtime.settings.secret_key
    app.config["SESSION_COOKIE_SECURE"] = runtime.settings.extra.get("KX_SECURE_COOKIES", "0") == "1"
    app.config.update(config)
    app.extensions["kx"] = runtime

    app.jinja_loader = ChoiceLoader([app.jinja_loader, FileSystemLoader(str(SHARED_DIR / "templates"))])
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories(service.package_dir)
    Babel(app, locale_selector=select_language)
    _template_catalogue_once_per_render(app)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.globals["other_language"] = other_language
    app.jinja_env.globals["staff_navigation"] = staff_nav.navigation  # the one staff navigation, kx/base.html
    app.jinja_env.globals["LANGUAGE_NAMES"] = LANGUAGE_NAMES  # `{{ code | label(LANGUAGE_NAMES) }}`
    app.jinja_env.filters.update(FILTERS)  # dates, times and stored codes in the page's language
    app.jinja_env.filters.update(bilingual.FILTERS)  # what people write, in Welsh where it is (shared/bilingual.py)
    csrf.init_app(app)
    register_error_handlers(app)
    app.register_error_handler(CSRFError, _csrf_refused)
    app.session_interface = _SessionCookie()
    app.teardown_appcontext(close_session)
    app.after_request(_security_headers)
    _register_shared_routes(app, service)
    app.register_blueprint(_diagnostics(service))
    _trust_proxies(app, runtime.settings.trusted_proxies)
    return app


def _catalogue(context):
    """The catalogue a template's strings come from: looked up once per `render_template` (the
    context processor below), instead of Flask-Babel's app, locale and cache lookups for each of a
    page's strings (a catalogue of exchanges has a hundred and more). Outside such a render (a macro
    imported without context), Flask-Babel's own lookup."""
    catalogue = context.get("kx_catalogue")
    return catalogue if catalogue is not None else get_translations()


def _template_catalogue_once_per_render(app: Flask) -> None:
    app.context_processor(lambda: {"kx_catalogue": get_translations()})
    app.jinja_env.install_gettext_callables(
        gettext=pass_context(lambda context, s: _catalogue(context).ugettext(s)),
        ngettext=pass_context(lambda context, s, p, n: _catalogue(context).ungettext(s, p, n)),
        pgettext=pass_context(lambda context, c, s: _catalogue(context).upgettext(c, s)),
        npgettext=pass_context(lambda context, c, s, p, n: _catalogue(context).unpgettext(c, s, p, n)),
        newstyle=True,
    )


def _trust_proxies(app: Flask, hops: int) -> None:
    """Behind `hops` proxies (KX_TRUSTED_PROXIES), take the client's address, scheme and host from
    the X-Forwarded-* values those proxies added, so that `request.remote_addr` (the per-address
    rate limit) is the applicant's and not the gateway's. Values a client added before them are
    ignored; with 0 every X-Forwarded-* header is."""
    if hops > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def translation_directories(package_dir: Path) -> str:
    """A service's own catalogue first, then the shared one (Flask-Babel's `;`-separated list)."""
    return ";".join(str(p) for p in (package_dir / "translations", SHARED_DIR / "translations"))


def select_language() -> str:
    """`?lang=`, then the language cookie, then the browser's Accept-Language."""
    chosen = _interface_lang_query() or request.cookies.get(LANGUAGE_COOKIE)
    if chosen in LANGUAGES:
        return chosen
    return request.accept_languages.best_match(LANGUAGES) or "en"


def other_language() -> dict:
    """The language link: this same page, query string kept, in the language not being shown."""
    code = "en" if str(get_locale()) == "cy" else "cy"
    query = [(key, value) for key, value in request.args.items(multi=True) if key != "lang"]
    query.append(("lang", code))
    return {"code": code, "name": LANGUAGE_NAMES[code], "url": f"{request.script_root}{request.path}?{urlencode(query)}"}


def _security_headers(response):
    headers = response.headers
    headers.setdefault(
        "Content-Security-Policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
        "form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'",
    )
    headers.setdefault("X-Content-Type-Options", "nosniff")
    if request.view_args and "token" in request.view_args:
        # a manage or set-password link: whoever has the address has the person's data
        headers["Cache-Control"] = "no-store"
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
    if request.is_secure:
        headers.setdefault("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
    chosen = _interface_lang_query()
    if chosen in LANGUAGES and response.mimetype == "text/html":  # a page read in it, not a file downloaded
        response.set_cookie(LANGUAGE_COOKIE, chosen, max_age=365 * 24 * 3600, samesite="Lax",
                            httponly=True, secure=request.is_secure or current_app.config["SESSION_COOKIE_SECURE"])
    if response.mimetype == "text/html":
        response.vary.update(("Accept-Language", "Cookie"))  # the language a page is in depends on them
    return response


def _register_shared_routes(app: Flask, service: Service) -> None:
    @app.get(f"{service.prefix}/healthz")
    @csrf.exempt
    def healthz():
        checks = {"db": _check_db(), "bus": runtime().bus.check()}
        ok = all(v == "ok" for v in checks.values())
        body = {"service": service.name, "status": "ok" if ok else "unavailable", "checks": checks}
        return jsonify(body), 200 if ok else 503

    @app.get(f"{service.prefix}/assets/<path:filename>")
    def shared_asset(filename):
        from flask import send_from_directory

        return send_from_directory(SHARED_DIR / "static", filename, max_age=3600)


class PingSent(Output):
    event_id = fields.String(required=True)


class PingArrived(Output):
    event_id = fields.String(required=True)
    service = fields.String(required=True)
    handled = fields.Boolean(required=True)


def _diagnostics(service: Service) -> Blueprint:
    """The bus ping's routes, for operators (shared/diagnostics.py)."""
    bp = Blueprint(f"{service.name}_diagnostics", __name__, url_prefix=f"{service.prefix}/api/diagnostics")

    @bp.post("/ping")
    @csrf.exempt
    @access(STAFF)
    @response(PingSent, 202)
    def ping():
        """Emit `system.ping` through the outbox (operators)."""
        authorise("admin")
        return {"event_id": diagnostics.send_ping(db(), service)}

    @bp.get("/pings/<event_id>")
    @access(STAFF)
    @response(PingArrived)
    def ping_arrived(event_id):
        """200 once this service has handled that ping."""
        authorise("admin")
        if not diagnostics.ping_arrived(db(), service, event_id):
            raise ApiError(404, _("This service has not received that ping (yet)."))
        return {"event_id": event_id, "service": service.name, "handled": True}

    return bp


def _check_db() -> str:
    try:
        with runtime().engine.connect() as connection:
            connection.execute(text("SELECT 1"))
        return "ok"
    except Exception as error:  # noqa: BLE001 - any failure means "down"
        return f"unreachable ({type(error).__name__})"
