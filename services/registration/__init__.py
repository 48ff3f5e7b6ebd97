"""Registration: the programme catalogue, applications, bookings, waiting lists, attendance and staff sign-in."""

from flask import Flask

from shared.web import create_service_app

from . import accessibility, api, privacy_pages, privacy_requests, staff, views
from .service import SERVICE


def create_app(config: dict | None = None) -> Flask:
    """The registration web app: defaults, then the environment, then `config`."""
    app = create_service_app(SERVICE, __name__, config)
    app.register_blueprint(views.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(privacy_requests.blueprint)
    app.register_blueprint(privacy_pages.blueprint)
    app.register_blueprint(staff.blueprint)
    app.register_blueprint(accessibility.blueprint)
    return app


__all__ = ["SERVICE", "create_app"]
