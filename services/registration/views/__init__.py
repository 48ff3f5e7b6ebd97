"""Registration's HTML pages (`/registration/...`), one module per journey.

Server-rendered, no JavaScript, GOV.UK patterns; every string through Flask-Babel; every form
carries a CSRF token; the request is the commit point (shared/web.py).

- `catalogue`: the catalogue of exchanges and each exchange's page
- `apply`: the application journey (`/registration/apply/`), `manage`: an applicant's bookings,
  `lost_link`: "Lost your link?", a new manage link by email
- `sign_in`: staff sign-in and sign-out; `single_sign_on`: signing in with one's organisation
  account; `exchanges`: the programme team's exchanges and numbers; `themes`: the themes;
  `attendance`: hosts' participants, CSV export and attendance grid;
  `privacy`: the programme team's privacy requests; `staff_accounts`: the programme team's staff
  accounts; `account`: one's own password (set from a link, reset, changed), `two_factor`: turning on
  the TOTP second factor (`staff` is what staff pages share)
- `accessibility`: the accessibility statement

Each journey module routes on `blueprint` (blueprint.py); `apply` and `manage` are blueprints of
their own under it (`/registration/apply/`, `/registration/manage/`). Pages never import the API
package: what both need is in operations/, schemas.py, outputs.py or vocabularies.py.
"""

from __future__ import annotations

from . import (  # noqa: F401 - they route on the blueprint
    accessibility,
    account,
    apply,
    attendance,
    audit,
    booking_changes,
    bookings,
    catalogue,
    exchanges,
    lost_link,
    manage,
    privacy,
    sign_in,
    single_sign_on,
    staff_accounts,
    themes,
    two_factor,
)
from .blueprint import blueprint

blueprint.register_blueprint(apply.blueprint)
blueprint.register_blueprint(manage.blueprint)

__all__ = ["blueprint"]
