"""The programme team's staff accounts: the list (roles, scopes, last sign-in, status), inviting a
member of staff, changing one account (name, language, roles, exchanges hosted, themes led) with the
same operation as `PATCH /api/staff/<id>`, sending an invited account its invitation again, and
deactivating or reactivating an account after a confirm step."""

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
from ..schemas import StaffChangeInput, StaffInput
from .blueprint import blueprint
from .staff import page, signed_in


@blueprint.get("/staff/accounts")
def staff_accounts():
    signed_in("admin")
    rows = accounts.list_accounts(db())
    # the changed account by number, so that no email goes into a URL (and the access log)
    changed = next((row["email"] for row in rows if str(row["id"]) == request.args.get("changed")), None)
    return page("registration/staff/accounts.html", accounts=rows, invited=request.args.get("invited"),
                changed=changed)


@blueprint.route("/staff/accounts/new", methods=["GET", "POST"])
def invite_staff():
    staff = signed_in("admin")
    form, errors = {"language": "en", "roles": [], "exchanges": [], "themes": []}, {}
    if request.method == "POST":
        form = {"email": request.form.get("email", ""), **_read_account_form()}
        try:
            data = StaffInput().load(_loadable(form))
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
                **_scope_options())


@blueprint.route("/staff/accounts/<int:staff_id>", methods=["GET", "POST"])
def edit_account(staff_id):
    """Change an account as PATCH does: a change of roles or scopes revokes its earlier tokens."""
    staff = signed_in("admin")
    account = _account_or_404(staff_id, lock=request.method == "POST")
    form, errors, status = _form_of(account), {}, 200
    if request.method == "POST":
        form = _read_account_form()
        try:
            data = StaffChangeInput().load(_loadable(form))
            accounts.change_account(db(), account, data, utcnow(), staff=staff)
            return redirect(url_for(".staff_accounts", changed=account.id))
        except ValidationError as invalid:
            errors, status = errors_by_field(invalid, unindexed), 422
        except ApiError as refused:  # scopes that do not add up (422), the last admin (409)
            errors, status = errors_by_field(refused, message_field="roles"), refused.status
    return _account_page(account, form, errors, status)


@blueprint.post("/staff/accounts/<int:staff_id>/invitation")
def resend_invitation(staff_id):
    """A new invitation link by email; the one sent before stops working."""
    staff = signed_in("admin")
    account = _account_or_404(staff_id, lock=True)
    try:
        accounts.resend_invitation(db(), account, utcnow(), staff=staff)
    except ApiError as refused:
        return _account_page(account, _form_of(account), {"_schema": refused.message}, refused.status)
    return _account_page(account, _form_of(account), {}, resent=True)


def _account_page(account, form: dict, errors: dict, status: int = 200, resent: bool = False):
    return page("registration/staff/account_edit.html", status, account=accounts.account_view(db(), account),
                form=form, errors=errors, resent=resent, **_scope_options())


def _form_of(account) -> dict:
    shown = accounts.account_view(db(), account)
    return {**{name: shown[name] for name in ("name", "language", "roles", "themes")},
            "exchanges": [str(i) for i in shown["exchanges"]]}


def _read_account_form() -> dict:
    return {"name": request.form.get("name", ""), "language": request.form.get("language", "en"),
            "roles": request.form.getlist("roles"), "exchanges": request.form.getlist("exchanges"),
            "themes": request.form.getlist("themes")}


def _loadable(form: dict) -> dict:
    """The form as the API's schemas take it: exchanges as numbers."""
    return {**form, "exchanges": [int(i) for i in form["exchanges"] if i.isdigit()]}


def _scope_options() -> dict:
    """The exchanges and themes an account may be given, as checkboxes."""
    return {"exchange_options": [(str(row["id"]), f'{row["id"]}: {row["title"]}')
                                 for row in operations.exchange_numbers(db())],
            "theme_options": [(theme["code"], f'{theme["code"]}: {theme["title"]}')
                              for theme in operations.theme_tree(db())]}


def _account_or_404(staff_id: int, lock: bool = False):
    try:
        return accounts.find_account(db(), staff_id, lock=lock)
    except ApiError:
        abort(404)


@blueprint.route("/staff/accounts/<int:staff_id>/deactivate", methods=["GET", "POST"])
def deactivate_account(staff_id):
    return _confirm_change(staff_id, "deactivate")


@blueprint.route("/staff/accounts/<int:staff_id>/reactivate", methods=["GET", "POST"])
def reactivate_account(staff_id):
    return _confirm_change(staff_id, "reactivate")


def _confirm_change(staff_id: int, action: str):
    """Ask first (GET), then do it (POST); the last active admin is refused (409) on the same page."""
    staff = signed_in("admin")
    account = _account_or_404(staff_id, lock=request.method == "POST")
    errors = {}
    if request.method == "POST":
        try:
            accounts.change_account(db(), account, {"active": action == "reactivate"}, utcnow(), staff=staff)
            return redirect(url_for(".staff_accounts"))
        except ApiError as refused:
            errors = {"_schema": refused.message}
    return page("registration/staff/account_confirm.html", 409 if errors else 200,
                account=accounts.account_view(db(), account), action=action, errors=errors)
