"""Expenses: expense claims, receipts, finance decisions and payment runs."""

from flask import Flask, request

from shared.web import create_service_app

from . import api, views
from .operations.receipts import MAX_BYTES
from .service import SERVICE

#: what any request but an upload may carry (the shared default)
SMALL_BODY = 64 * 1024
#: endpoints that take a receipt file
UPLOADS = {"expenses_api.upload_receipt", "expenses.cost"}


def create_app(config: dict | None = None) -> Flask:
    """The expenses web app: defaults, then the environment, then `config`."""
    app = create_service_app(SERVICE, __name__, {"MAX_CONTENT_LENGTH": MAX_BYTES + SMALL_BODY, **(config or {})})
    app.register_blueprint(api.blueprint)
    for blueprint in views.BLUEPRINTS:
        app.register_blueprint(blueprint)

    @app.before_request
    def _small_bodies_but_uploads():
        # A receipt may be 10 MB; every other request keeps the small limit of the other services.
        if request.endpoint not in UPLOADS:
            request.max_content_length = SMALL_BODY

    return app


__all__ = ["SERVICE", "create_app"]
