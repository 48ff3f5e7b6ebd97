"""Notifications pages (the API is in `api/`).

Staff (admin): the delivery log with search by recipient, each message, resend. Hosts (and
admins): an exchange's joining information, on a page and through the API. Each journey's module
makes its own blueprint, nested here under `/notifications`, so that none imports this one back.
"""

from __future__ import annotations

from flask import Blueprint

from shared.web import vocabularies

from ..vocabularies import MESSAGE_STATUSES, TEMPLATES
from . import announcements, delivery_log

blueprint = Blueprint("notifications", __name__, url_prefix="/notifications")

vocabularies(blueprint, MESSAGE_STATUSES=MESSAGE_STATUSES, TEMPLATES=TEMPLATES)
for journey in (delivery_log, announcements):
    blueprint.register_blueprint(journey.blueprint)
