"""`/themes/<code>/pack.pdf` and `/programme/pack.pdf`: the workshop packs as PDF, or 202 while the
worker builds one (never built in the request: packs/download.py)."""

from __future__ import annotations

from flask import after_this_request, request
from flask_babel import gettext as _

from shared import api
from shared.api import STAFF
from shared.errors import ApiError
from shared.web import db

from ..models import Theme
from ..operations.access import may_download
from ..outputs import BuildingOutput
from ..packs.download import RETRY_AFTER, pack_file, serve
from ..packs.requests import PROGRAMME
from ..schemas import PackQuery
from .blueprint import blueprint
from .checks import checked_first


def _theme_lead(code: str) -> None:
    may_download(code)
    if db().get(Theme, code) is None:
        raise ApiError(404, _("There is no theme with that code."), code="not_found")


def _admin() -> None:
    may_download(PROGRAMME)


@blueprint.get("/themes/<code>/pack.pdf")
@api.access(STAFF)
@checked_first(_theme_lead)
@api.arguments(PackQuery, location="query")
@api.response(content_type="application/pdf")
@api.alt_response(202, BuildingOutput)
def theme_pack(query, code):
    """The theme's workshop pack (theme lead of it, admin); 202 while it is being built."""
    return _pack(code, query["lang"])


@blueprint.get("/programme/pack.pdf")
@api.access(STAFF)
@checked_first(_admin)
@api.arguments(PackQuery, location="query")
@api.response(content_type="application/pdf")
@api.alt_response(202, BuildingOutput)
def programme_pack(query):
    """The whole programme's pack (admin); 202 while it is being built."""
    return _pack(PROGRAMME, query["lang"])


def _pack(scope: str, language: str):
    """The PDF at once if one is built (current, or the latest while a fresh one builds); else 202."""
    served = serve(db(), scope, language)
    if served.pack is not None:
        return pack_file(served, scope, language)
    again = request.full_path.rstrip("?")

    @after_this_request
    def _ask_again(response):
        response.headers.update({"Retry-After": str(RETRY_AFTER), "Location": again})
        return response

    return {"status": "building", "stage": served.stage, "progress": served.progress,
            "retry_after": RETRY_AFTER}, 202
