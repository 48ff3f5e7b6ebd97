"""Sign-in does the same argon2 work whatever the account's state, so that how long an answer
takes says nothing about the account: unknown, invited (no password yet), disabled, locked, or
active with a wrong or the right password. Counted with a spy on the hasher, not timed."""

from __future__ import annotations

from datetime import timedelta

import pytest

from services.registration.models import StaffAccount
from services.registration.models.staff_account import DISABLED, INVITED
from services.registration.operations import create_staff, sign_in
from services.registration.operations import staff as staff_operations
from shared.db import utcnow

PASSWORD = "a long enough password"
NOW = utcnow()


@pytest.fixture
def verifications(monkeypatch):
    """How many times argon2 verified a password during the test."""
    calls = []
    real = staff_operations._hasher

    class Spy:  # argon2's PasswordHasher has slots: it cannot be patched itself, so it is wrapped
        def verify(self, password_hash, password):
            calls.append(password_hash)
            return real.verify(password_hash, password)

        def __getattr__(self, name):
            return getattr(real, name)

    monkeypatch.setattr(staff_operations, "_hasher", Spy())
    return calls


@pytest.fixture
def accounts(runtime):
    with runtime.session() as session, session.begin():
        create_staff(session, "active@example.org", "Active", PASSWORD, {"admin": []})
        create_staff(session, "locked@example.org", "Locked", PASSWORD, {"admin": []})
        create_staff(session, "disabled@example.org", "Disabled", PASSWORD, {"admin": []})
        create_staff(session, "invited@example.org", "Invited", PASSWORD, {"admin": []})
        rows = {row.email: row for row in session.query(StaffAccount)}
        rows["locked@example.org"].locked_until = NOW + timedelta(minutes=10)
        rows["disabled@example.org"].status = DISABLED
        rows["invited@example.org"].status, rows["invited@example.org"].password_hash = INVITED, None


@pytest.mark.parametrize(("email", "password"), [
    ("nobody@example.org", "wrong"),
    ("invited@example.org", "wrong"),
    ("disabled@example.org", PASSWORD),
    ("locked@example.org", "wrong"),
    ("locked@example.org", PASSWORD),
    ("active@example.org", "wrong"),
    ("active@example.org", PASSWORD),
])
def test_every_sign_in_verifies_one_password_with_argon2(runtime, accounts, verifications, email, password):
    with runtime.session() as session, session.begin():
        sign_in(session, email, password, now=NOW)
    assert len(verifications) == 1


def test_a_locked_account_still_refuses_the_right_password(runtime, accounts, verifications):
    with runtime.session() as session, session.begin():
        result = sign_in(session, "locked@example.org", PASSWORD, now=NOW)
    assert result.staff is None and result.locked
