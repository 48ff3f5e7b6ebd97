"""Which staff tokens learning refuses: its projection of accounts' token versions
(shared/staff_projection.py, as every service but registration keeps it)."""

from __future__ import annotations

from shared.events import make_envelope
from shared.times import iso

from .conftest import START

STAFF_ID = 1  # the `auth` fixture's tokens are this account's, at version 1
UPDATED = "registration.staff.updated"


def updated(bus, version: int, active: bool = True, minutes: int = 0):
    data = {"id": STAFF_ID, "email": "a@example.org", "roles": ["admin"], "exchanges": [], "themes": [],
            "language": "en", "active": active, "token_version": version}
    envelope = make_envelope("registration", UPDATED, data)
    envelope["time"] = iso(START.replace(minute=minutes))
    bus.deliver(UPDATED, data, envelope)


def audit(client, headers) -> int:
    return client.get("/learning/api/audit", headers=headers).status_code


def test_a_token_of_an_account_not_heard_of_yet_is_accepted(client, admin):
    assert audit(client, admin) == 200


def test_a_token_older_than_the_accounts_version_is_refused_and_a_current_one_accepted(client, bus, auth):
    updated(bus, 2)
    refused = client.get("/learning/api/audit", headers=auth(admin=[]))  # version 1
    assert refused.status_code == 401 and refused.get_json()["error"]["code"] == "unauthorised"
    assert audit(client, auth(admin=[], token_version=2)) == 200
    assert audit(client, auth(admin=[], staff_id=2)) == 200  # another account's tokens are untouched


def test_a_deactivated_accounts_tokens_are_refused_until_it_is_reactivated(client, bus, auth):
    updated(bus, 2, active=False, minutes=1)
    assert audit(client, auth(admin=[], token_version=2)) == 401
    updated(bus, 2, active=True, minutes=2)
    assert audit(client, auth(admin=[], token_version=2)) == 200  # signed in again once reactivated
    assert audit(client, auth(admin=[])) == 401  # version 1: from before the deactivation


def test_an_older_event_never_lowers_the_version_or_undoes_a_deactivation(client, bus, auth):
    updated(bus, 3, active=False, minutes=5)
    updated(bus, 2, active=True, minutes=9)  # a lower version is older, whatever its time
    updated(bus, 3, active=True, minutes=1)  # the same version, an older time
    assert audit(client, auth(admin=[], token_version=3)) == 401  # still deactivated
