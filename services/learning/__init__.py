"""Learning: exchange summaries, feedback and the theme workshop packs."""

from flask import Flask

from shared.web import create_service_app

from . import api, views
from .service import SERVICE

#: a full summary in JSON (20 insights of 1,000 characters, three texts of 5,000, escaped Welsh
#: letters taking six bytes each) is more than the shared 64 KB
MAX_CONTENT_LENGTH = 512 * 1024


def create_app(config: dict | None = None) -> Flask:
    """The learning web app: defaults, then the environment, then `config`."""
    app = create_service_app(SERVICE, __name__, {"MAX_CONTENT_LENGTH": MAX_CONTENT_LENGTH, **(config or {})})
    app.register_blueprint(views.blueprint)
    app.register_blueprint(api.blueprint)
    return app


__all__ = ["SERVICE", "create_app"]
