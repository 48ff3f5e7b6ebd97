"""The pages' blueprint, in a module of its own so that the journey modules route on it without
importing the package that imports them (tests/test_import_cycles.py). The vocabularies are
globals of every template (`{{ row.status | label(EXCHANGE_STATUSES) }}`)."""

from __future__ import annotations

from flask import Blueprint

from shared.web import vocabularies

from ..vocabularies import (
    ATTENDANCE_STAGES,
    BOOKING_STATUSES,
    EXCHANGE_STATUSES,
    PARTICIPANT_TYPES,
    STAFF_ROLES,
    STAFF_STATUSES,
    STAKEHOLDER_GROUPS,
)

blueprint = Blueprint("registration", __name__, url_prefix="/registration")
vocabularies(blueprint, EXCHANGE_STATUSES=EXCHANGE_STATUSES, BOOKING_STATUSES=BOOKING_STATUSES,
             PARTICIPANT_TYPES=PARTICIPANT_TYPES, STAKEHOLDER_GROUPS=STAKEHOLDER_GROUPS,
             ATTENDANCE_STAGES=ATTENDANCE_STAGES, STAFF_ROLES=STAFF_ROLES, STAFF_STATUSES=STAFF_STATUSES)
