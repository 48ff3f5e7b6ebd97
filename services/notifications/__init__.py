"""Notifications: every message a participant needs, in their language, exactly once."""

from flask import Flask

from shared import link_seal
from shared.web import create_service_app

from . import api, views
from .service import SERVICE


def create_app(config: dict | None = None) -> Flask:
    """The notifications web app: defaults, then the environment, then `config`."""
    app = create_service_app(SERVICE, __name__, config)
    link_seal.check(app.extensions["kx"].settings)  # a malformed KX_LINK_KEYS stops it here, not mid-request
    app.register_blueprint(views.blueprint)
    app.register_blueprint(api.blueprint)
    return app


__all__ = ["SERVICE", "create_app"]
