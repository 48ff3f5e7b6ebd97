"""`/library`: the published summaries, public (a kx addition)."""

from __future__ import annotations

from shared import api
from shared.web import db

from ..operations.library import search
from ..outputs import LibraryEntryOutput
from ..schemas import LibraryQuery
from .blueprint import blueprint


@blueprint.get("/library")
@api.access(api.PUBLIC)
@api.arguments(LibraryQuery, location="query")
@api.response(LibraryEntryOutput(many=True))
def library(query):
    """Published summaries; `theme` and `q` filter."""
    return search(db(), query["theme"], query["q"])
