"""What every staff page shares: the role check that sends an anonymous visitor to sign in, and
the page's frame.

Every page checks roles with `shared.auth.authorise` (through `signed_in`); the signed token is in
the session cookie, so every service sees the same sign-in (views/sign_in.py).
"""

from __future__ import annotations

from flask import abort, redirect, render_template, request, url_for

from shared.auth import Staff, authorise, current_staff
from shared.errors import ApiError


def signed_in(*grants) -> Staff:
    """The one role check, for pages: an anonymous visitor is sent to sign in and brought back."""
    try:
        return authorise(*grants)
    except ApiError as refused:
        if refused.status == 401:
            abort(redirect(url_for("registration.login", next=request.full_path.rstrip("?"))))
        raise


def page(template: str, status: int = 200, **context):
    """A staff page; one with form errors says so first in its title ("Error: ...")."""
    context.setdefault("form_errors", bool(context.get("errors")))
    return render_template(template, staff=current_staff(), **context), status
