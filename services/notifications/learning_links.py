"""Links into learning that notifications' messages give."""

from __future__ import annotations


def feedback_link(manage_url: str | None) -> str | None:
    """Learning's feedback page for the same manage token: `/learning/manage/<token>`.

    The contract fixes the manage link as `/registration/manage/<token>`; learning takes feedback
    and reflections through the same token on its own page.
    """
    if not manage_url or "/manage/" not in manage_url:
        return None
    token = manage_url.rstrip("/").rpartition("/manage/")[2]
    return f"/learning/manage/{token}"
