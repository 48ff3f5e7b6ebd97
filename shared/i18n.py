"""Translation for the shared modules, which also run in apps without Babel (tests' bare Flask apps)."""

from __future__ import annotations

from flask import current_app, has_app_context
from flask_babel import gettext


def _(message: str, **variables) -> str:
    """`flask_babel.gettext`, or the English message where no Babel is set up."""
    if has_app_context() and "babel" in current_app.extensions:
        return gettext(message, **variables)
    return message % variables if variables else message


def N_(message: str) -> str:
    """Marks a message for the catalogue; it is translated where it is shown."""
    return message
