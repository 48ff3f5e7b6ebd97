"""The workshop packs as a browser downloads them: the PDF, or a page that says how far the build
has got and reloads (the API answers the same file, or JSON: api/packs.py)."""

from __future__ import annotations

from flask import abort, render_template, request, url_for

from shared.web import db, lang_chooses_the_content

from ..models import Theme
from ..operations.access import may_download
from ..packs.download import RETRY_AFTER, pack_file, serve
from ..packs.requests import PROGRAMME
from ..schemas import PackQuery
from .blueprint import blueprint

#: how often the "being prepared" page reloads itself (a meta refresh: no script needed); slower than
#: the API's Retry-After, so that a screen reader is not interrupted every other second
REFRESH_SECONDS = 5


@blueprint.get("/themes/<code>/pack.pdf")
@lang_chooses_the_content
def theme_pack(code):
    may_download(code)
    if db().get(Theme, code) is None:
        abort(404)
    return _pack(code)


@blueprint.get("/programme/pack.pdf")
@lang_chooses_the_content
def programme_pack():
    may_download(PROGRAMME)
    return _pack(PROGRAMME)


def _pack(scope: str):
    """The PDF at once if one is built (current, or the latest while a fresh one builds); else a
    page that says how far the build has got."""
    language = PackQuery().load(request.args)["lang"]
    served = serve(db(), scope, language)
    if served.pack is not None:
        return pack_file(served, scope, language)
    # `auto=0` stops the reloading (WCAG 2.2.1: a timed change the reader can turn off)
    auto = request.args.get("auto") != "0"
    args = {name: value for name, value in request.args.items() if name != "auto"}
    return render_template("learning/pack_building.html", served=served, scope=scope,
                           refresh=REFRESH_SECONDS if auto else None,
                           again=url_for(request.endpoint, **request.view_args, **args),
                           stop=url_for(request.endpoint, **request.view_args, **args, auto="0")), \
        202, {"Retry-After": str(RETRY_AFTER)}
