"""What the applicant's pages (catalogue, application, manage) share."""

from __future__ import annotations

from datetime import date

from flask_babel import gettext as _

from shared.i18n import format_date
from shared.web import db

from .. import operations


def grouped(exchanges: list[dict], themes: list[dict] | None = None) -> list[dict]:
    """Exchanges by theme, then sub-theme (those of the theme itself first), in the programme's
    order; empty groups left out. `[{"theme", "groups": [{"subtheme" (or None), "exchanges"}]}]`.
    `themes` is `operations.theme_tree()` when the caller has it already."""
    out = []
    for theme in themes if themes is not None else operations.theme_tree(db()):
        groups = [{"subtheme": sub, "exchanges": [e for e in exchanges if e["theme"] == theme["code"]
                                                  and e["subtheme"] == (sub and sub["code"])]}
                  for sub in [None, *theme["subthemes"]]]
        groups = [group for group in groups if group["exchanges"]]
        if groups:
            out.append({"theme": theme, "groups": groups})
    return out


def warning_text(warning: dict, titles: dict[int, str]) -> str:
    """A clash warning (`operations.clash_warnings`) in words, naming the exchanges."""
    named = [titles.get(i, str(i)) for i in warning["exchange_ids"]]
    day = format_date(date.fromisoformat(warning["date"]), style="day")
    if warning["code"] == "same_day":
        return _("%(titles)s are on the same day, %(day)s. You can apply for them all, but you may only be able "
                 "to go to one.", titles=_(" and ").join([", ".join(named[:-1]), named[-1]]), day=day)
    session = _("orientation session") if warning.get("session") == "orientation" else _("reflection session")
    return _("The %(session)s of %(first)s (%(day)s) is during %(second)s.", session=session, first=named[0],
             day=day, second=named[1])
