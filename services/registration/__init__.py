"""Registration: the programme catalogue, applications, bookings, waiting lists, attendance and staff sign-in."""

from flask import Flask

from shared import link_seal
from shared.web import create_service_app

from . import api, single_sign_on, views
from .config import oidc_settings
from .service import SERVICE


def create_app(config: dict | None = None) -> Flask:
    """The registration web app: defaults, then the environment, then `config`."""
    app = create_service_app(SERVICE, __name__, config)
    link_seal.check(app.extensions["kx"].settings)  # a malformed KX_LINK_KEYS stops it here, not mid-request
    app.register_blueprint(views.blueprint)
    app.register_blueprint(api.blueprint)
    # read at start-up, so that a half-configured single sign-on stops the app, naming the variable
    single_sign_on.install(app, oidc_settings(app.extensions["kx"].settings))
    return app


__all__ = ["SERVICE", "create_app"]
