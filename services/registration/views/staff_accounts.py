"""The programme team's staff accounts: the list (roles, scopes, last sign-in, status), inviting a
member of staff, and deactivating or reactivating an account after a confirm step."""

from __future__ import annotations

from flask import abort, redirect, request, url_for
from flask_babel import gettext as _
from marshmallow import ValidationError

from shared.db import utcnow
from shared.errors import ApiError
from shared.forms import errors_by_field, unindexed
from shared.web import db

from .. import operations
from ..operations import accounts
from ..schemas import StaffInput
from .blueprint import blueprint
from .staff import page, signed_in


@blueprint.get("/staff/accounts")
def staff_accounts():
    signed_in("admin")
    return page("registration/staff/accounts.html", accounts=accounts.list_accounts(db()),
                invited=request.args.get("invited"))


@blueprint.route("/staff/accounts/new", methods=["GET", "POST"])
def invite_staff():
    staff = signed_in("admin")
    form, errors = {"language": "en", "roles": [], "exchanges": [], "themes": []}, {}
    if request.method == "POST":
        form = {"email": request.form.get("email", ""), "name": request.form.get("name", ""),
                "language": request.form.get("language", "en"), "roles": request.form.getlist("roles"),
                "exchanges": request.form.getlist("exchanges"), "themes": request.form.getlist("themes")}
        try:
            data = StaffInput().load({**form, "exchanges": [int(i) for i in form["exchanges"] if i.isdigit()]})
            account, _token = accounts.invite(db(), data, now=utcnow(), staff=staff)
            return redirect(url_for(".staff_accounts", invited=account.email))
        except ValidationError as invalid:
            errors = errors_by_field(invalid, unindexed)
        except accounts.AccountExists as exists:
            errors = {"email": _("There is already a staff account with that email address (%(status)s).",
                                 status=exists.account.status)}
        except ApiError as refused:
            errors = errors_by_field(refused, message_field="roles")
    return page("registration/staff/account_invite.html", 422 if errors else 200, form=form, errors=errors,
                exchange_options=[(str(row["id"]), f'{row["id"]}: {row["title"]}') for row in operations.exchange_numbers(db())],
                theme_options=[(theme["code"], f'{theme["code"]}: {theme["title"]}') for theme in operations.theme_tree(db())])


@blueprint.route("/staff/accounts/<int:staff_id>/deactivate", methods=["GET", "POST"])
def deactivate_account(staff_id):
    return _confirm_change(staff_id, "deactivate")


@blueprint.route("/staff/accounts/<int:staff_id>/reactivate", methods=["GET", "POST"])
def reactivate_account(staff_id):
    return _confirm_change(staff_id, "reactivate")


def _confirm_change(staff_id: int, action: str):
    """Ask first (GET), then do it (POST); the last active admin is refused (409) on the same page."""
    staff = signed_in("admin")
    try:
        account = accounts.find_account(db(), staff_id, lock=request.method == "POST")
    except ApiError:
        abort(404)
    errors = {}
    if request.method == "POST":
        try:
            accounts.change_account(db(), account, {"active": action == "reactivate"}, utcnow(), staff=staff)
            return redirect(url_for(".staff_accounts"))
        except ApiError as refused:
            errors = {"_schema": refused.message}
    return page("registration/staff/account_confirm.html", 409 if errors else 200,
                account=accounts.account_view(db(), account), action=action, errors=errors)
