"""Registration's HTML pages (`/registration/...`), one module per journey.

Server-rendered, no JavaScript, GOV.UK patterns; every string through Flask-Babel; every form
carries a CSRF token; the request is the commit point (shared/web.py).

- `catalogue`: the catalogue of exchanges and each exchange's page
- `apply`: the application journey (`/registration/apply/`), `manage`: an applicant's bookings
- `sign_in`: staff sign-in and sign-out; `exchanges`: the programme team's exchanges and numbers;
  `themes`: the themes; `attendance`: hosts' participants, CSV export and attendance grid;
  `privacy`: the programme team's privacy requests (`staff` is what staff pages share)
- `accessibility`: the accessibility statement

Pages never import the API package: what both need is in operations/, schemas.py, outputs.py or
vocabularies.py.
"""

from __future__ import annotations

from flask import Blueprint

from shared.web import vocabularies

from ..vocabularies import (
    ATTENDANCE_STAGES,
    BOOKING_STATUSES,
    EXCHANGE_STATUSES,
    PARTICIPANT_TYPES,
    STAKEHOLDER_GROUPS,
)

blueprint = Blueprint("registration", __name__, url_prefix="/registration")
vocabularies(blueprint, EXCHANGE_STATUSES=EXCHANGE_STATUSES, BOOKING_STATUSES=BOOKING_STATUSES,
             PARTICIPANT_TYPES=PARTICIPANT_TYPES, STAKEHOLDER_GROUPS=STAKEHOLDER_GROUPS,
             ATTENDANCE_STAGES=ATTENDANCE_STAGES)

from . import (  # noqa: E402,F401
    accessibility,
    apply,
    attendance,
    catalogue,
    exchanges,
    manage,
    privacy,
    sign_in,
    themes,
)

blueprint.register_blueprint(apply.blueprint)
blueprint.register_blueprint(manage.blueprint)
