"""`/staff`: the programme team's staff accounts: invite, list, change roles and scopes, deactivate."""

from __future__ import annotations

from shared import api
from shared.api import STAFF
from shared.auth import authorise
from shared.db import utcnow
from shared.web import db

from ..operations import accounts
from ..outputs import StaffCreatedOutput, StaffExistsOutput, StaffOutput
from ..schemas import StaffChangeInput, StaffInput
from .blueprint import blueprint
from .checks import admin


@blueprint.get("/staff")
@api.access(STAFF)
@api.response(StaffOutput(many=True))
@api.authorised_first(admin)
def list_staff():
    """Every staff account, with its roles, scopes, last sign-in and status (admin)."""
    return accounts.list_accounts(db())


@blueprint.post("/staff")
@api.access(STAFF)
@api.response(StaffCreatedOutput, 201)
@api.alt_response(409, StaffExistsOutput)
@api.authorised_first(admin)
@api.arguments(StaffInput)
def invite(data):
    """Invite a member of staff: an account, and an email with a set-password link valid 7 days (admin).

    An email that already has an account is refused (409) with that account."""
    try:
        account, _token = accounts.invite(db(), data, now=utcnow(), staff=authorise("admin"))
    except accounts.AccountExists as exists:
        return {"error": {"code": exists.code, "message": exists.message}, "account": exists.account}, 409
    return account


@blueprint.patch("/staff/<int:staff_id>")
@api.access(STAFF, errors=(404, 409))
@api.response(StaffOutput)
@api.authorised_first(admin)
@api.arguments(StaffChangeInput)
def change_staff(data, staff_id):
    """Change an account's roles, exchanges, themes, or deactivate (`"active": false`) or reactivate it (admin).

    Deactivating it or changing its roles or scopes revokes its earlier tokens; the last active
    admin cannot be deactivated nor lose the role (409)."""
    account = accounts.find_account(db(), staff_id, lock=True)
    accounts.change_account(db(), account, data, now=utcnow(), staff=authorise("admin"))
    return accounts.account_view(db(), account)
