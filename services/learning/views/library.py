"""The public learning library: approved summaries whose hosts agreed to publish them."""

from __future__ import annotations

from flask import abort, render_template, request
from sqlalchemy import select

from shared.web import db

from ..models import Theme
from ..operations.library import entry, search
from .blueprint import blueprint


@blueprint.get("/library/")
def library_page():
    theme = request.args.get("theme") or None
    words = (request.args.get("q") or "")[:200]
    return render_template("learning/library.html", results=search(db(), theme, words), theme=theme, q=words,
                           themes=list(db().scalars(select(Theme).order_by(Theme.code))))


@blueprint.get("/library/<int:exchange_id>")
def library_entry(exchange_id):
    found = entry(db(), exchange_id) or abort(404)
    return render_template("learning/library_entry.html", entry=found)
