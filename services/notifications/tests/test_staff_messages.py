"""Staff accounts' emails: the invitation (`staff_invitation`) and the password reset
(`password_reset`), each in the account's language with its set-password link, sent through SMTP;
the delivery log says they went but never shows their text (the link opens the account)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from shared.auth import Staff, issue_token

from .conftest import drain, messages

TOKEN = "S" * 43
EXPIRES = datetime(2030, 6, 17, 8, 30, tzinfo=UTC)  # 09:30 in London


def _link(language="en", **extra) -> dict:
    return {"id": 4, "email": "new.host@example.org", "name": "Nia Example", "language": language, "token": TOKEN,
            "expires_at": EXPIRES.isoformat(), **extra}


@pytest.mark.parametrize(("language", "subject", "says"), [
    ("en", "You are invited to the Knowledge Exchange staff pages", "Set your password with this link"),
    ("cy", "Rydych wedi cael gwahoddiad i dudalennau staff y Cyfnewid Gwybodaeth", "Gosodwch eich cyfrinair"),
])
def test_an_invitation_is_emailed_in_the_accounts_language_with_its_link(runtime, events, mail_server,
                                                                         language, subject, says):
    events.deliver("registration.staff.invited", _link(language))
    drain(runtime)
    [received] = mail_server.received
    assert received.email["To"] == "new.host@example.org"
    assert received.email["Subject"] == subject
    text = received.email.get_body(("plain",)).get_content()
    html = received.email.get_body(("html",)).get_content()
    link = f"https://kx.example.org/registration/account/password/{TOKEN}"
    assert says in text and link in text and link in html
    assert "Nia Example" in text
    assert "9:30" in text  # when it expires, in London time


@pytest.mark.parametrize(("language", "subject"), [
    ("en", "Reset your Knowledge Exchange password"),
    ("cy", "Ailosodwch eich cyfrinair Cyfnewid Gwybodaeth"),
])
def test_a_reset_is_emailed_with_its_link(runtime, events, mail_server, language, subject):
    events.deliver("registration.staff.reset_requested", _link(language))
    drain(runtime)
    [received] = mail_server.received
    assert received.email["Subject"] == subject
    assert f"/registration/account/password/{TOKEN}" in received.email.get_body(("plain",)).get_content()


def test_the_delivery_log_shows_that_a_link_went_but_not_the_link(runtime, events, client):
    events.deliver("registration.staff.invited", _link())
    [message] = messages(runtime)
    assert message.template == "staff_invitation"
    with client.session_transaction() as session:
        session["staff_token"] = issue_token(runtime.settings.secret_key, Staff(id=1, name="Admin", roles={"admin": []}))[0]
    page = client.get(f"/notifications/messages/{message.id}")
    assert page.status_code == 200
    assert "Invitation to a staff account" in page.get_data(as_text=True)
    assert TOKEN not in page.get_data(as_text=True)
