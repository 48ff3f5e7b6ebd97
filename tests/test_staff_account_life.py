"""The whole life of staff accounts on the embedded setup, from an empty system: `kx staff add`
prints the first admin's link; the admin sets a password and signs in, invites a host in Welsh,
whose invitation arrives as an email (the embedded `.eml` files) and sets their password; the host
changes it, forgets it and resets it by email; the admin deactivates the host, who can no longer
sign in; and the last admin cannot be deactivated."""

from __future__ import annotations

import email
import email.policy
import re

from click.testing import CliRunner

from shared.cli import main
from shared.testing import embedded_env, wait_until
from tests.support.journey import start_with_env

LINK = re.compile(r"https?://\S+/registration/account/password/([A-Za-z0-9_-]+)")
ADMIN_PASSWORD = "first admin's own passphrase"
HOST_PASSWORD = "a host's long passphrase"


CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def _post_form(client, url: str, data: dict, page: str | None = None):
    """Post a form as a browser would: with the CSRF token of the page it is on."""
    token = CSRF.search(client.get(page or url).get_data(as_text=True)).group(1)
    return client.post(url, data={**data, "csrf_token": token})


def _mail(var_dir, to: str, subject: str) -> email.message.EmailMessage | None:
    for file in sorted((var_dir / "mail").glob("*.eml")):
        parsed = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
        if parsed["To"] == to and parsed["Subject"] == subject:
            return parsed
    return None


def _link_in(var_dir, to: str, subject: str) -> str:
    wait_until(lambda: _mail(var_dir, to, subject), timeout=20, message=f"the email {subject!r} to {to}")
    return LINK.search(_mail(var_dir, to, subject).get_body(("plain",)).get_content()).group(1)


def test_an_account_from_kx_staff_add_on_an_empty_system_to_its_deactivation(tmp_path, monkeypatch):
    env = embedded_env(tmp_path / "var", KX_DEMO="0", KX_PUBLIC_URL="https://kx.example.org")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cli = CliRunner()
    added = cli.invoke(main, ["staff", "add", "First.Admin@example.org", "--name", "First Admin", "--role", "admin"])
    assert added.exit_code == 0, added.output
    [first_token] = LINK.findall(added.output)
    assert f"https://kx.example.org/registration/account/password/{first_token}" in added.output
    listed = cli.invoke(main, ["staff", "list"])
    assert "first.admin@example.org\tFirst Admin\tinvited\tadmin\tnever signed in" in listed.output

    system = start_with_env(env)
    client, var_dir = system.client, tmp_path / "var"
    try:
        # the first admin sets a password and signs in
        assert client.get(f"/registration/account/password/{first_token}").status_code == 200
        system.call("POST", "/registration/api/auth/password", headers={},
                    json={"token": first_token, "password": ADMIN_PASSWORD})
        signed = system.call("POST", "/registration/api/auth/token", headers={},
                             json={"email": "first.admin@example.org", "password": ADMIN_PASSWORD}).get_json()
        admin = {"Authorization": f"Bearer {signed['token']}"}

        # ...invites a host, whose Welsh invitation arrives by email
        system.call("POST", "/registration/api/themes", 201, headers=admin, json={"code": "T1", "title": "A theme"})
        host = system.call("POST", "/registration/api/staff", 201, headers=admin, json={
            "email": "host@example.org", "name": "Nia Host", "roles": ["theme_lead"], "themes": ["T1"],
            "language": "cy"}).get_json()
        token = _link_in(var_dir, "host@example.org",
                         "Rydych wedi cael gwahoddiad i dudalennau staff y Cyfnewid Gwybodaeth")
        set_page = f"/registration/account/password/{token}"
        assert _post_form(client, set_page, {"password": "password1234"}).status_code == 422
        assert _post_form(client, set_page, {"password": HOST_PASSWORD}).status_code == 200
        assert client.get(f"/registration/account/password/{token}").status_code == 410  # spent

        # the host signs in and changes the password from the account page
        assert _post_form(client, "/registration/login", {"email": "host@example.org",
                                                          "password": HOST_PASSWORD}).status_code == 302
        changed = _post_form(client, "/registration/account", {"current_password": HOST_PASSWORD,
                                                                "new_password": "the host's second passphrase"})
        assert changed.status_code == 200 and "has been changed" in changed.get_data(as_text=True)
        _post_form(client, "/registration/logout", {}, page="/registration/account")

        # ...forgets it, and resets it by email
        assert client.post("/registration/api/auth/password-reset", json={"email": "host@example.org"}).status_code == 202
        assert client.post("/registration/api/auth/password-reset", json={"email": "who@example.org"}).status_code == 202
        reset = _link_in(var_dir, "host@example.org", "Ailosodwch eich cyfrinair Cyfnewid Gwybodaeth")
        system.call("POST", "/registration/api/auth/password", headers={},
                    json={"token": reset, "password": "the host's third passphrase"})
        system.call("POST", "/registration/api/auth/token", headers={},
                    json={"email": "host@example.org", "password": "the host's third passphrase"})

        # the admin deactivates the host, who can no longer sign in; the last admin stays
        listed = {a["email"]: a for a in system.call("GET", "/registration/api/staff", headers=admin).get_json()}
        assert listed["host@example.org"]["last_signed_in_at"] is not None
        system.call("PATCH", f"/registration/api/staff/{host['id']}", headers=admin, json={"active": False})
        system.call("POST", "/registration/api/auth/token", 401, headers={},
                    json={"email": "host@example.org", "password": "the host's third passphrase"})
        system.call("PATCH", f"/registration/api/staff/{signed_id(system, admin)}", 409, headers=admin,
                    json={"active": False})
        system.quiet()
    finally:
        system.embedded.shutdown()
    disabled = cli.invoke(main, ["staff", "disable", "first.admin@example.org"])
    assert disabled.exit_code == 1 and "last active admin" in disabled.output
    assert not [f for f in (var_dir / "mail").glob("*.eml") if b"who@example.org" in f.read_bytes()]


def signed_id(system, admin) -> int:
    return next(a["id"] for a in system.call("GET", "/registration/api/staff", headers=admin).get_json()
                if a["email"] == "first.admin@example.org")
