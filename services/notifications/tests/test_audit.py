"""Notifications' audit log: joining information written and messages resent, each an entry."""

from __future__ import annotations

import pytest

from shared.testing import staff_token

from .conftest import drain, messages
from .test_announcements_and_pages import ANNOUNCEMENT, _auth, with_participants  # noqa: F401 - a fixture


@pytest.mark.usefixtures("with_participants", "mail_server")
def test_announcements_and_resends_are_written(runtime, client):
    host = _auth(runtime, {"host": [7]})
    client.put("/notifications/api/exchanges/7/announcement", json=ANNOUNCEMENT, headers=host)
    client.put("/notifications/api/exchanges/7/announcement", json=ANNOUNCEMENT, headers=host)  # unchanged
    client.put("/notifications/api/exchanges/7/announcement", json={**ANNOUNCEMENT, "venue": "Side door"},
               headers=host)
    drain(runtime)
    original = messages(runtime)[0]
    with client.session_transaction() as session:
        session["staff_token"] = staff_token(runtime.settings, {"admin": []}, staff_id=9)
    assert client.post(f"/notifications/messages/{original.id}/resend").status_code == 302

    entries = client.get("/notifications/api/audit", headers=_auth(runtime, {"admin": []})).json
    assert [(e["action"], e["actor"]["id"]) for e in entries] == [
        ("message.resent", 9), ("announcement.written", 1), ("announcement.written", 1)]
    assert (entries[1]["before"], entries[1]["after"]) == ({"venue": ANNOUNCEMENT["venue"], "version": 1},
                                                          {"venue": "Side door", "version": 2})
    assert entries[2]["before"] is None and entries[2]["after"]["version"] == 1
    assert "example.org" not in str(entries[0]), "a resend names the message, not its recipient"
    page = client.get("/notifications/audit")
    assert page.status_code == 200 and "Message resent" in page.get_data(as_text=True)
