"""Who may do what: every route of every service × every kind of caller → the expected status.

The routes are read from each app's url_map, so a new endpoint without a row here fails
`test_every_route_has_a_row`. The requests run on each service's demo data plus two applicants
(A, whose resources the URLs name, and B), in production configuration less CSRF (the CSRF test
is in test_security_headers.py).

Callers (the columns, in this order):
  anon   no credentials
  app    applicant A: A's manage token wherever the route takes one
  other  applicant B: B's own, valid token on A's resources (must be 404: never "not yours")
  h_own  host of exchange 1 (the exchange the URLs name)   h_oth  host of another exchange
  l_own  theme lead of exchange 1's theme                  l_oth  theme lead of another theme
  lh_own theme lead of exchange 1's theme who also hosts exchange 1
  fin    finance                                           f_own  finance who is claimant A (A's email)
  adm    admin (the programme team), and nothing else

No role implies another (separation of duties): `adm` is refused finance's work; `lh_own` may not
approve or return the summary of an exchange they host; `f_own` may not decide claim 1, A's claim
(compared by case-folded email). The maker-checker rules of payment runs are in the expenses tests.

Staff callers send no manage token: where the route needs one they send an unknown one.
Cells: a status, or OK = allowed (the request got past every check: not 401, 403 or 404, and
below 500; what it then answers depends on the body, which is empty or minimal here).
"""

from __future__ import annotations

import hashlib
import re

import pytest

from shared.bootstrap import load_demo, migrate
from shared.config import load
from shared.registry import create_app, load_service
from shared.service import Runtime
from shared.testing import embedded_env, staff_token

OK = "ok"
CALLERS = ("anon", "app", "other", "h_own", "h_oth", "l_own", "l_oth", "lh_own", "fin", "f_own", "adm")
UNKNOWN_TOKEN = "unknown-token-" + "x" * 30
SERVICES = ("registration", "notifications", "learning", "expenses")

LOGIN = "login"  #: redirected to the sign-in page

# fmt: off
REGISTRATION = {
    #                                                               anon   app    other  h_own  h_oth  l_own  l_oth  lh_own fin    f_own  adm
    'GET /registration/':                                            (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/accessibility':                               (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/api/audit':                                   (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/audit':                                 (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/api/bookings':                                (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/api/bookings/totals':                         (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/bookings':                              (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/bookings.csv':                          (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/bookings.xlsx':                         (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/bookings/<int:booking_id>/cancel':      (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/bookings/<int:booking_id>/move':        (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/staff/bookings/<int:booking_id>/cancel':     (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/staff/bookings/<int:booking_id>/move':       (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/api/bookings/<int:booking_id>/cancel':       (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/api/bookings/<int:booking_id>/move':         (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'GET /registration/account':                                     (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/account/password-reset':                      (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/account/recovery-codes':                       (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/account/two-factor':                          (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/account/two-factor/off':                       (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/account/password/<token>':                    (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/api/applications/<token>':                    (404, OK, OK, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/link':                                        (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/api/diagnostics/pings/<event_id>':            (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /registration/api/exchanges':                               (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/api/exchanges/<int:exchange_id>':             (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/api/exchanges/<int:exchange_id>/participants': (401, 401, 401, OK, 403, 403, 403, OK, 403, 403, OK),
    'GET /registration/api/numbers':                                 (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/api/openapi.json':                            (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/api/privacy/requests':                        (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/api/privacy/requests/<request_id>':           (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /registration/api/privacy/requests/<request_id>/export.json': (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /registration/api/staff':                                   (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/api/themes':                                  (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/apply/':                                      (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/apply/<slug>':                                (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/apply/cannot-take-part':                      (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/apply/check':                                 (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/apply/confirmation':                          (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/exchanges/<int:exchange_id>':                 (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/healthz':                                     (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/login':                                       (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/login/code':                                  (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    # single sign-on is off here (no KX_OIDC_*): both routes are 404 for everyone (tests/test_single_sign_on.py)
    'GET /registration/login/sso':                                   (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/login/sso/callback':                          (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/login/sso/refused':                           (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/manage/<token>':                              (404, OK, OK, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/manage/<token>/bookings/<int:exchange_id>/cancel': (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /registration/staff/':                                      (LOGIN, LOGIN, LOGIN, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /registration/staff/accounts':                              (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/accounts/<int:staff_id>':                (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/accounts/<int:staff_id>/deactivate':    (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/accounts/<int:staff_id>/reactivate':    (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/accounts/new':                          (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/exchanges/<int:exchange_id>/attendance': (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'GET /registration/staff/exchanges/<int:exchange_id>/close':     (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/exchanges/<int:exchange_id>/edit':      (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/exchanges/<int:exchange_id>/reopen':    (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/exchanges/<int:exchange_id>/participants': (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'GET /registration/staff/exchanges/<int:exchange_id>/participants.csv': (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'GET /registration/staff/exchanges/<int:exchange_id>/preview':   (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'GET /registration/staff/exchanges/new':                         (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/privacy':                               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/privacy/<request_id>/export.json':      (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /registration/staff/themes':                                (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /registration/staff/themes/<code>':                          (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'PATCH /registration/api/exchanges/<int:exchange_id>':           (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'PATCH /registration/api/staff/<int:staff_id>':                  (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'PATCH /registration/api/themes/<code>':                         (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/account':                                    (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/account/language':                           (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/account/password-reset':                     (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/account/password/<token>':                   (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/account/password/<token>/renew':             (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'POST /registration/account/recovery-codes':                      (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/account/two-factor':                         (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/account/two-factor/off':                      (LOGIN, LOGIN, LOGIN, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/api/applications':                           (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/api/applications/<token>/bookings/<int:exchange_id>/cancel': (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/api/applications/<token>/link':              (404, OK, OK, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/api/applications/link':                      (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/link':                                       (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/api/auth/password':                          (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/api/auth/password-reset':                    (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/api/auth/sign-out':                          (401, 401, 401, OK, OK, OK, OK, OK, OK, OK, OK),
    'POST /registration/api/auth/token':                             (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/api/diagnostics/ping':                       (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/api/exchanges':                              (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/api/exchanges/<int:exchange_id>/attendance': (401, 401, 401, 422, 403, 403, 403, 422, 403, 403, 422),
    'POST /registration/api/exchanges/<int:exchange_id>/close':      (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/api/exchanges/<int:exchange_id>/publish':    (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/api/exchanges/<int:exchange_id>/reopen':     (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/api/privacy/requests':                       (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/api/staff':                                  (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/api/themes':                                 (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/apply/<slug>':                               (404, 404, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/apply/send':                                 (400, 400, 400, 400, 400, 400, 400, 400, 400, 400, 400),
    'POST /registration/login':                                      (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /registration/login/code':                                 (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    'POST /registration/logout':                                     (LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN),
    'POST /registration/manage/<token>/bookings/<int:exchange_id>/cancel': (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/staff/accounts/<int:staff_id>':               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/manage/<token>/link':                        (404, OK, OK, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/manage/<token>/apply':                       (404, OK, OK, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /registration/staff/accounts/<int:staff_id>/deactivate':   (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/staff/accounts/<int:staff_id>/invitation':    (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/staff/accounts/<int:staff_id>/reactivate':   (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/staff/accounts/new':                         (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/staff/exchanges/<int:exchange_id>/attendance': (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'POST /registration/staff/exchanges/<int:exchange_id>/close':    (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/staff/exchanges/<int:exchange_id>/edit':     (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/staff/exchanges/<int:exchange_id>/publish':  (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/staff/exchanges/<int:exchange_id>/reopen':   (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /registration/staff/exchanges/new':                        (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/staff/privacy':                              (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/staff/themes':                               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /registration/staff/themes/<code>':                         (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
}

NOTIFICATIONS = {
    #                                                               anon   app    other  h_own  h_oth  l_own  l_oth  lh_own fin    f_own  adm
    'GET /notifications/':                                           (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /notifications/api/audit':                                  (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /notifications/audit':                                      (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /notifications/api/diagnostics/pings/<event_id>':           (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /notifications/api/exchanges/<int:exchange_id>/announcement': (401, 401, 401, 404, 403, 403, 403, 404, 403, 403, 404),
    'GET /notifications/api/messages':                               (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'GET /notifications/api/openapi.json':                           (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /notifications/exchanges/<int:exchange_id>/announcement':   (LOGIN, LOGIN, LOGIN, 404, 403, 403, 403, 404, 403, 403, 404),
    'GET /notifications/healthz':                                    (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /notifications/messages/<int:message_id>':                  (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /notifications/messages/new':                               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /notifications/api/diagnostics/ping':                      (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /notifications/api/messages':                              (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /notifications/api/messages/preview':                      (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
    'POST /notifications/exchanges/<int:exchange_id>/announcement':  (LOGIN, LOGIN, LOGIN, 404, 403, 403, 403, 404, 403, 403, 404),
    'POST /notifications/messages/<int:message_id>/resend':          (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 404),
    'POST /notifications/messages/new':                              (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'PUT /notifications/api/exchanges/<int:exchange_id>/announcement': (401, 401, 401, 422, 403, 403, 403, 422, 403, 403, 422),
}

LEARNING = {
    #                                                               anon   app    other  h_own  h_oth  l_own  l_oth  lh_own fin    f_own  adm
    'GET /learning/':                                                (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /learning/api/audit':                                       (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /learning/audit':                                           (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /learning/api/diagnostics/pings/<event_id>':                (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /learning/api/exchanges/<int:exchange_id>/summary':         (401, 401, 401, OK, 403, OK, 403, OK, 403, 403, OK),
    'GET /learning/api/exchanges/<int:exchange_id>/summary/history': (401, 401, 401, OK, 403, OK, 403, OK, 403, 403, OK),
    'GET /learning/api/feedback/summary':                            (401, 401, 401, 403, 403, OK, OK, OK, 403, 403, OK),
    'GET /learning/api/impact':                                      (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /learning/api/library':                                     (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /learning/api/openapi.json':                                (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /learning/api/programme/pack.pdf':                          (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /learning/api/themes/<code>/pack.pdf':                      (401, 401, 401, 403, 403, OK, 403, OK, 403, 403, OK),
    'GET /learning/exchanges/<int:exchange_id>/summary':             (LOGIN, LOGIN, LOGIN, OK, 403, OK, 403, OK, 403, 403, OK),
    'GET /learning/exchanges/<int:exchange_id>/summary/edit':        (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'GET /learning/feedback':                                        (LOGIN, LOGIN, LOGIN, 403, 403, OK, OK, OK, 403, 403, OK),
    'GET /learning/healthz':                                         (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /learning/library/':                                        (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /learning/library/<int:exchange_id>':                       (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /learning/manage/<token>':                                  (404, OK, OK, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /learning/manage/<token>/exchanges/<int:exchange_id>/summary': (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /learning/programme':                                       (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /learning/programme/pack.pdf':                              (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /learning/themes/<code>':                                   (LOGIN, LOGIN, LOGIN, 403, 403, OK, 403, OK, 403, 403, OK),
    'GET /learning/api/themes/<code>/synthesis':                     (401, 401, 401, 403, 403, OK, 403, OK, 403, 403, OK),
    'GET /learning/themes/<code>/pack.pdf':                          (LOGIN, LOGIN, LOGIN, 403, 403, OK, 403, OK, 403, 403, OK),
    'POST /learning/api/diagnostics/ping':                           (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /learning/api/exchanges/<int:exchange_id>/summary/approve': (401, 401, 401, 403, 403, 422, 403, 403, 403, 403, 422),
    'POST /learning/api/exchanges/<int:exchange_id>/summary/return': (401, 401, 401, 403, 403, 422, 403, 403, 403, 403, 422),
    'POST /learning/api/exchanges/<int:exchange_id>/summary/submit': (401, 401, 401, OK, 403, 403, 403, OK, 403, 403, OK),
    'POST /learning/api/feedback':                                   (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /learning/exchanges/<int:exchange_id>/summary/<action>':   (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'POST /learning/exchanges/<int:exchange_id>/summary/edit':       (LOGIN, LOGIN, LOGIN, OK, 403, 403, 403, OK, 403, 403, OK),
    'POST /learning/manage/<token>':                                 (404, 422, 422, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /learning/manage/<token>/exchanges/<int:exchange_id>/summary': (404, 422, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    # the reflection the URL names (application 1's on exchange 1) does not exist: 404 once allowed
    'POST /learning/exchanges/<int:exchange_id>/reflections/<int:application_id>/folded': (LOGIN, LOGIN, LOGIN, 404, 403, 403, 403, 404, 403, 403, 404),
    'POST /learning/themes/<code>/quotes':                           (LOGIN, LOGIN, LOGIN, 403, 403, OK, 403, OK, 403, 403, OK),
    'POST /learning/programme':                                      (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /learning/themes/<code>/synthesis':                        (LOGIN, LOGIN, LOGIN, 403, 403, OK, 403, OK, 403, 403, OK),
    'POST /learning/themes/<code>':                                  (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, 422),
    'PUT /learning/api/exchanges/<int:exchange_id>/summary':         (401, 401, 401, 422, 403, 403, 403, 422, 403, 403, 422),
    'PUT /learning/api/themes/<code>/synthesis':                     (401, 401, 401, 403, 403, 422, 403, 422, 403, 403, 422),
    'PUT /learning/api/reflections':                                 (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'PUT /learning/api/settings':                                    (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 422),
}

EXPENSES = {
    #                                                               anon   app    other  h_own  h_oth  l_own  l_oth  lh_own fin    f_own  adm
    'GET /expenses/':                                                (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /expenses/api/audit':                                       (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /expenses/audit':                                           (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, 403, 403, OK),
    'GET /expenses/api/claims':                                      (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/api/claims/<int:claim_id>':                       (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/api/claims/<int:claim_id>/history':               (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/api/dashboard':                                   (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/api/diagnostics/pings/<event_id>':                (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, 404),
    'GET /expenses/api/openapi.json':                                (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /expenses/api/payment-runs':                                (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/api/payment-runs/<int:run_id>':                   (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/api/payment-runs/<int:run_id>/export.csv':        (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/api/payment-runs/<int:run_id>/export.xlsx':       (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/api/receipts/<int:receipt_id>':                   (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/finance/':                                        (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/claims/<int:claim_id>':                   (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/dashboard':                               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/receipts/<int:receipt_id>':               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/runs':                                    (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/runs/<int:run_id>':                       (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/runs/<int:run_id>/approve':               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/runs/<int:run_id>/confirm':               (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/runs/<int:run_id>/export.csv':            (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/finance/runs/<int:run_id>/export.xlsx':           (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'GET /expenses/healthz':                                         (OK, OK, OK, OK, OK, OK, OK, OK, OK, OK, OK),
    'GET /expenses/manage/<token>':                                  (404, OK, OK, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/manage/<token>/claims/<int:claim_id>':            (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/manage/<token>/claims/<int:claim_id>/bank':       (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/manage/<token>/claims/<int:claim_id>/check':      (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/manage/<token>/claims/<int:claim_id>/cost':       (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/manage/<token>/claims/<int:claim_id>/journey':    (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/manage/<token>/claims/<int:claim_id>/quote':      (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'GET /expenses/manage/<token>/receipts/<int:receipt_id>':        (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/api/claims':                                     (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
    'POST /expenses/api/claims/<int:claim_id>/approve':              (401, 401, 401, 403, 403, 403, 403, 403, 422, 403, 403),
    'POST /expenses/api/claims/<int:claim_id>/query':                (401, 401, 401, 403, 403, 403, 403, 403, 422, 403, 403),
    'POST /expenses/api/claims/<int:claim_id>/reject':               (401, 401, 401, 403, 403, 403, 403, 403, 422, 403, 403),
    'POST /expenses/api/claims/<int:claim_id>/withdraw':             (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/api/diagnostics/ping':                           (401, 401, 401, 403, 403, 403, 403, 403, 403, 403, OK),
    'POST /expenses/api/payment-runs':                               (401, 401, 401, 403, 403, 403, 403, 403, 422, 422, 403),
    'POST /expenses/api/payment-runs/<int:run_id>/approve':          (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'POST /expenses/api/payment-runs/<int:run_id>/cancel':           (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'POST /expenses/api/payment-runs/<int:run_id>/confirm':          (401, 401, 401, 403, 403, 403, 403, 403, OK, OK, 403),
    'POST /expenses/api/receipts':                                   (404, 422, 422, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/finance/claims/<int:claim_id>/<action>':         (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, 403, 403),
    'POST /expenses/finance/runs':                                   (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'POST /expenses/finance/runs/<int:run_id>/<action>':             (LOGIN, LOGIN, LOGIN, 403, 403, 403, 403, 403, OK, OK, 403),
    'POST /expenses/manage/<token>/claims/<int:claim_id>/bank':      (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/manage/<token>/claims/<int:claim_id>/check':     (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/manage/<token>/claims/<int:claim_id>/cost':      (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/manage/<token>/claims/<int:claim_id>/items/<int:item_id>/remove': (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/manage/<token>/claims/<int:claim_id>/journey':   (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/manage/<token>/claims/<int:claim_id>/withdraw':  (404, OK, 404, 404, 404, 404, 404, 404, 404, 404, 404),
    'POST /expenses/manage/<token>/exchanges/<int:exchange_id>/claim': (404, OK, 422, 404, 404, 404, 404, 404, 404, 404, 404),
    'PUT /expenses/api/claims/<int:claim_id>':                       (422, 422, 422, 422, 422, 422, 422, 422, 422, 422, 422),
}
MATRIX = {"registration": REGISTRATION, "notifications": NOTIFICATIONS, "learning": LEARNING,
          "expenses": EXPENSES}
# fmt: on


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    settings = load(embedded_env(tmp_path_factory.mktemp("matrix") / "var", KX_DEMO="1"))
    migrate(settings)
    load_demo(settings)
    runtimes = {name: Runtime(load_service(name), settings) for name in SERVICES}
    apps = {name: create_app(name, {"KX_RUNTIME": runtime, "WTF_CSRF_ENABLED": False, "KX_APPLY_RATE_LIMIT": "0"})
            for name, runtime in runtimes.items()}
    world = _world(settings, runtimes)
    yield settings, apps, world
    for runtime in runtimes.values():
        runtime.dispose()


def _world(settings, runtimes) -> dict:
    """Applicants A (on exchange 1) and B (on exchange 2) in every service that knows applicants.
    The demo's exchanges 1 and 2 have been held: A and B applied while they were open."""
    from datetime import timedelta

    from services.registration.models import Exchange
    from services.registration.operations import Applicant, apply

    with runtimes["registration"].session() as session, session.begin():
        theme = session.get(Exchange, 1).theme_code
        tokens = {}
        for who, exchange_id in (("a", 1), ("b", 2)):
            while_open = session.get(Exchange, exchange_id).booking_closes_at - timedelta(days=1)
            result = apply(session, Applicant(name=f"Person {who.upper()} Example", email=f"person-{who}@example.org",
                                              participant_type="experience", language="en", organisation="",
                                              role="", stakeholder_group="", access_needs=""),
                           [exchange_id], line_manager_permission="not_applicable", will_attend_sessions=True,
                           privacy_notice_accepted=True, now=while_open)
            tokens[who] = result.manage_token
    other_theme = next(code for code in ("T1", "T2", "T3") if code != theme)
    _deliver_registration_events(runtimes, ("learning", "expenses"))
    # expenses: the demo claimants 1 (claim 1, exchange 1) and 2 are A and B there
    expenses_tokens = {"a": "demo-expenses-claimant-1", "b": "demo-expenses-claimant-2"}
    assert hashlib.sha256(expenses_tokens["a"].encode()).hexdigest()
    return {"theme": theme, "other_theme": other_theme, "tokens": tokens, "expenses_tokens": expenses_tokens,
            "registration": runtimes["registration"]}


def _deliver_registration_events(runtimes, services) -> None:
    """What the bus would carry: registration's exchanges and bookings, to each service's handlers."""
    from sqlalchemy import select

    from shared.consumer import Consumer
    from shared.events import parse

    registration = runtimes["registration"]
    with registration.session() as session:
        rows = session.scalars(select(registration.service.outbox).order_by(registration.service.outbox.id)).all()
        envelopes = [parse(row.envelope) for row in rows]
    for name in services:
        service = runtimes[name].service
        consumer = Consumer(runtimes[name], service.handlers)
        for envelope, data in envelopes:
            for handler in service.handlers:
                if envelope["type"] in handler.events:
                    consumer.handle(handler, f"{name}.{handler.name}", envelope, data)


def _headers(settings, world, caller: str) -> dict:
    roles = {"h_own": {"host": [1]}, "h_oth": {"host": [2]}, "l_own": {"theme_lead": [world["theme"]]},
             "l_oth": {"theme_lead": [world["other_theme"]]},
             "lh_own": {"theme_lead": [world["theme"]], "host": [1]},
             "fin": {"finance": []}, "f_own": {"finance": []}, "adm": {"admin": []}}
    if caller not in roles:
        return {}
    # f_own is expenses' demo claimant 1 (A there), written with other capitals
    email = "Claimant1@Example.org" if caller == "f_own" else f"{caller}@staff.example.org"
    token = staff_token(settings, roles[caller], staff_id=100 + CALLERS.index(caller), email=email)
    return {"Authorization": f"Bearer {token}"}


def _token(service: str, world, caller: str) -> str:
    tokens = world["expenses_tokens"] if service == "expenses" else world["tokens"]
    return {"app": tokens["a"], "other": tokens["b"]}.get(caller, UNKNOWN_TOKEN)


#: the action each `<action>` route is asked to take
ACTIONS = {"learning.summary_action": "submit", "expenses_finance.decide": "approve",
           "expenses_finance.run_action": "cancel"}
PATH_VALUES = {"exchange_id": "1", "claim_id": "1", "run_id": "1", "message_id": "1", "item_id": "1",
               "receipt_id": "1", "code": None, "action": None, "event_id": "no-such-ping", "slug": "x"}


def routes(app):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in ("static", "shared_asset"):
            continue
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            yield f"{method} {rule.rule}", method, rule


def _url(rule, service: str, world, caller: str) -> str:
    url = rule.rule
    for name in rule.arguments:
        value = PATH_VALUES.get(name, "1")
        if name == "token":
            value = _token(service, world, caller)
        elif name == "code":
            value = world["theme"]
        elif name == "action":
            value = ACTIONS[rule.endpoint]
        url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", value, url)
    return url


#: routes that replace the manage token they are called with: the old one is restored after each
#: call, so that the routes after them still have applicants A and B
REPLACING = ("registration_api.replace_link", "registration.manage.new_link")


def call(client, settings, world, service, method, rule, caller):
    response = _call(client, settings, world, service, method, rule, caller)
    if rule.endpoint in REPLACING:
        from sqlalchemy import update

        from services.registration.models import Application

        with world["registration"].session() as session, session.begin():
            for who, token in world["tokens"].items():
                session.execute(update(Application).where(Application.email_folded == f"person-{who}@example.org")
                                .values(manage_token_hash=hashlib.sha256(token.encode()).hexdigest()))
    return response


def _call(client, settings, world, service, method, rule, caller):
    url = _url(rule, service, world, caller)
    token = _token(service, world, caller)
    headers = {**_headers(settings, world, caller), "Accept": "application/json" if "/api/" in url else "text/html"}
    body = {"manage_token": token}
    if method == "GET":
        separator = "&" if "?" in url else "?"
        return client.get(f"{url}{separator}manage_token={token}" if _reads_token_from_query(service, rule) else url,
                          headers=headers)
    if rule.endpoint == "expenses_api.upload_receipt":  # multipart: the token is a form field
        return client.post(url, data=body, headers=headers, content_type="multipart/form-data")
    if "/api/" in url:
        return client.open(url, method=method, json=body, headers=headers)
    return client.open(url, method=method, data=body, headers=headers)


def _reads_token_from_query(service: str, rule) -> bool:
    """Routes where a claimant identifies by `?manage_token=` instead of staff by bearer."""
    return service == "expenses" and rule.endpoint in ("expenses_api.get_claim", "expenses_api.get_receipt")


def verdict(response):
    """The cell a response earns: a refusal or a validation failure by its status, a redirect to
    the sign-in page as LOGIN, anything else allowed as OK."""
    status = response.status_code
    if status in (301, 302, 303) and "/login" in response.headers.get("Location", ""):
        return LOGIN
    return status if status in (400, 401, 403, 404, 422) or status >= 500 else OK


def observe(system, service: str) -> dict:
    settings, apps, world = system
    client = apps[service].test_client()
    seen = {}
    for key, method, rule in sorted(routes(apps[service]), key=lambda r: r[0]):
        seen[key] = tuple(verdict(call(client, settings, world, service, method, rule, caller))
                          for caller in CALLERS)
    return seen


def _row(key: str, row: tuple) -> str:
    return f"    {key!r}: ({', '.join({OK: 'OK', LOGIN: 'LOGIN'}.get(c, str(c)) for c in row)}),"


@pytest.mark.parametrize("service", SERVICES)
def test_every_route_has_a_row(system, service):
    _settings, apps, _world = system
    keys = {key for key, _method, _rule in routes(apps[service])}
    missing = sorted(keys - set(MATRIX[service]))
    stale = sorted(set(MATRIX[service]) - keys)
    assert not missing, "routes without a row in MATRIX (add who may call them):\n" + "\n".join(missing)
    assert not stale, "rows for routes that no longer exist:\n" + "\n".join(stale)


@pytest.mark.parametrize("service", SERVICES)
def test_each_caller_gets_the_expected_status_on_every_route(system, service):
    seen = observe(system, service)
    wrong = {key: row for key, row in seen.items() if key in MATRIX[service] and MATRIX[service][key] != row}
    assert not wrong, "rows that differ (as observed):\n" + "\n".join(_row(k, r) for k, r in wrong.items())
