"""The notifications API (`/notifications/api`): bearer tokens, JSON in and out, the one error format.

`GET /messages?to=<email>` (admin) is the contract's; the announcement endpoints are kx's. Each
resource's module makes its own blueprint, nested here under the API's prefix, so that no module
of the package imports this one back.
"""

from __future__ import annotations

from flask import Blueprint

from shared.openapi import publish
from shared.web import csrf

from . import announcements, messages

blueprint = Blueprint("notifications_api", __name__, url_prefix="/notifications/api")
# Bearer tokens, not cookies, authenticate API calls: no form can forge them.
csrf.exempt(blueprint)
for resource in (messages, announcements):
    csrf.exempt(resource.blueprint)  # a nested blueprint answers under its own name
    blueprint.register_blueprint(resource.blueprint)

publish(blueprint, "kx notifications API")
