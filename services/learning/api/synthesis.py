"""`/themes/<code>/synthesis`: a lead of the theme (or the programme team) reads and writes the
theme's synthesis, which its pack uses once published (kx addition, docs/learning.md)."""

from __future__ import annotations

from shared import api
from shared.api import STAFF, checked_first
from shared.auth import authorise
from shared.web import db

from ..operations import summaries, synthesis
from ..outputs import SynthesisOutput
from ..schemas import SynthesisInput
from .blueprint import blueprint


def _theme(code: str) -> dict:
    """A lead of this theme or the programme team (403), then the theme (404)."""
    staff = authorise(("theme_lead", code), "admin")
    return {"theme": summaries.theme_or_404(db(), code), "staff": staff}


@blueprint.get("/themes/<code>/synthesis")
@api.access(STAFF)
@checked_first(_theme)
@api.response(SynthesisOutput)
def get_synthesis(theme, staff):
    """The theme's synthesis at its latest version (theme lead of it, admin).

    A kx addition."""
    return synthesis.view(db(), theme)


@blueprint.put("/themes/<code>/synthesis")
@api.access(STAFF)
@checked_first(_theme)
@api.arguments(SynthesisInput)
@api.response(SynthesisOutput)
def put_synthesis(data, theme, staff):
    """Save a version; with `publish` true, the theme's pack uses it (theme lead of it, admin).

    A kx addition."""
    synthesis.save(db(), theme, data, staff)
    return synthesis.view(db(), theme)
