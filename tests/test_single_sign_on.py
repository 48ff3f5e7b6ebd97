"""Single sign-on for staff against a real OpenID Connect provider on loopback
(tests/support/oidc_provider.py: Authlib's provider implementation, RS256 ID tokens, discovery and
JWKS over HTTP). kx is the Flask test client; the provider is reached with `requests`, and kx itself
reaches it over HTTP for its discovery document, its keys and its token endpoint.

A verified email of an active account signs in as a right password does (the same session token,
token version, last sign-in, an audit entry with the method, `next` kept if it is a path here);
an unknown, invited or disabled account, an unverified email, a wrong nonce, a wrong state, a
forged ID token and the provider's own refusal each get a page that says why, and sign nobody in.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
import requests
from click.testing import CliRunner
from sqlalchemy import func, select

from services.registration.models import Audit, StaffAccount
from services.registration.operations import create_staff, mfa
from services.registration.operations.accounts import disable, invite
from services.registration.service import SERVICE
from shared.auth import read_token
from shared.cli import main as kx_command
from shared.config import ConfigError, load
from shared.db import utcnow
from shared.registry import create_app
from shared.service import Runtime
from shared.testing import embedded_env, make_app, migrate
from tests.support.oidc_provider import OidcProvider, Person

CALLBACK = "http://localhost/registration/login/sso/callback"
START = "/registration/login/sso"
REFUSED = "/registration/login/sso/refused"


@pytest.fixture
def provider():
    with OidcProvider(redirect_uris=[CALLBACK]) as provider:
        yield provider


@pytest.fixture
def service():
    return SERVICE


@pytest.fixture
def embedded_settings(tmp_path, provider):
    """kx pointed at the provider (the `runtime`, `app` and `client` of shared/testing.py use it)."""
    return load(embedded_env(tmp_path / "var", **provider.settings()))


@contextmanager
def kx(folder, **env):
    """Another registration app than the fixtures' (other settings): its runtime and a client."""
    runtime = Runtime(SERVICE, load(embedded_env(folder, **env)))
    migrate(runtime)
    try:
        yield runtime, make_app(runtime).test_client()
    finally:
        runtime.dispose()


def account(runtime, email="admin@example.org", roles=None) -> int:
    with runtime.session() as session, session.begin():
        return create_staff(session, email, "Programme team", "a long enough password", roles or {"admin": []}).id


def through_provider(client, provider, person: Person | None, start: str = START):
    """Click the button, sign in at the provider as `person`, come back: kx's answer to the callback."""
    provider.person = person
    started = client.get(start)
    assert started.status_code == 302, started.get_data(as_text=True)
    at_provider = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    assert at_provider.status_code == 302, at_provider.text
    back = urlsplit(at_provider.headers["Location"])
    assert f"{back.scheme}://{back.netloc}{back.path}" == CALLBACK
    return client.get(f"{back.path}?{back.query}")


def signed_in_token(client):
    with client.session_transaction() as session:
        return session.get("staff_token")


def refused(client, response, status: int, heading: str):
    """A refusal: the callback (or start) sends the browser to the refusal page, which says why."""
    assert response.status_code == 303 and response.headers["Location"] == REFUSED, response.get_data(as_text=True)
    response = client.get(REFUSED)
    page = response.get_data(as_text=True)
    assert response.status_code == status, page
    assert heading in page
    assert "Go to the sign-in page" in page
    return page


def main(page: str) -> str:
    return page[page.index("<main"):page.index("</main>")]


def test_the_sign_in_page_offers_the_organisation_account_when_it_is_configured(client):
    page = client.get("/registration/login").get_data(as_text=True)
    assert "Sign in with your organisation account" in page and 'href="/registration/login/sso"' in page
    welsh = client.get("/registration/login?lang=cy").get_data(as_text=True)
    assert "Mewngofnodi gyda chyfrif eich sefydliad" in welsh
    with_next = client.get("/registration/login?next=/registration/staff/themes").get_data(as_text=True)
    assert 'href="/registration/login/sso?next=/registration/staff/themes"' in with_next


def test_without_the_settings_there_is_no_button_and_no_single_sign_on(tmp_path):
    with kx(tmp_path / "plain") as (_runtime, client):
        assert "organisation account" not in client.get("/registration/login").get_data(as_text=True)
        assert client.get(START).status_code == 404
        assert client.get("/registration/login/sso/callback?code=x&state=y").status_code == 404
        assert client.get(REFUSED).status_code == 404


@pytest.mark.parametrize("missing", ["KX_OIDC_CLIENT_ID", "KX_OIDC_CLIENT_SECRET", "KX_OIDC_ISSUER"])
def test_part_of_the_settings_stops_the_app_naming_what_is_missing(tmp_path, provider, missing):
    env = {**embedded_env(tmp_path / "var"), **provider.settings()}
    del env[missing]
    with pytest.raises(ConfigError, match=missing):
        create_app("registration", {"KX_SETTINGS": load(env)})


@pytest.mark.parametrize("issuer", ["http://idp.example.org", "ftp://127.0.0.1/x", "https://idp.example.org/?a=b"])
def test_an_issuer_that_is_not_https_stops_the_app(tmp_path, issuer):
    env = embedded_env(tmp_path / "var", KX_OIDC_ISSUER=issuer, KX_OIDC_CLIENT_ID="kx", KX_OIDC_CLIENT_SECRET="s")
    with pytest.raises(ConfigError, match="KX_OIDC_ISSUER"):
        create_app("registration", {"KX_SETTINGS": load(env)})


def test_an_active_account_signs_in_with_its_organisation_account_as_a_password_sign_in_does(
        client, runtime, provider):
    staff_id = account(runtime)
    answer = through_provider(client, provider, Person(email="Admin@Example.ORG"),
                              start=f"{START}?next=/registration/staff/themes")
    assert answer.status_code == 302 and answer.headers["Location"] == "/registration/staff/themes"

    # what kx asked the provider for: the code flow with PKCE S256, a state and a nonce
    [asked] = provider.authorisations
    assert asked["response_type"] == "code" and asked["code_challenge_method"] == "S256"
    assert asked["scope"].split() == ["openid", "email", "profile"]
    assert len(asked["state"]) >= 20 and len(asked["nonce"]) >= 20 and asked["redirect_uri"] == CALLBACK
    assert provider.codes == {}  # the code was spent at the token endpoint

    staff = read_token(runtime.settings.secret_key, signed_in_token(client))
    with runtime.session() as session:
        row = session.get(StaffAccount, staff_id)
        assert (staff.id, staff.email, staff.token_version, staff.roles) == (staff_id, "admin@example.org",
                                                                             row.token_version, {"admin": []})
        assert row.last_signed_in_at is not None
        [entry] = session.scalars(select(Audit).where(Audit.action == "staff.signed_in")).all()
        assert (entry.actor_id, entry.subject_id, entry.after) == (staff_id, str(staff_id), {"method": "sso"})
    assert client.get("/registration/staff/themes").status_code == 200


def test_next_is_kept_only_when_it_is_a_path_of_this_site(client, runtime, provider):
    account(runtime)
    answer = through_provider(client, provider, Person(email="admin@example.org"),
                              start=f"{START}?next=//evil.example.org/")
    assert answer.status_code == 302 and answer.headers["Location"] == "/registration/staff/"


def test_an_email_without_an_account_is_refused_and_no_account_is_made(client, runtime, provider):
    account(runtime)
    answer = through_provider(client, provider, Person(email="stranger@example.org"))
    page = refused(client, answer, 403, "There is no account for you")
    assert "stranger@example.org" in page
    assert signed_in_token(client) is None
    with runtime.session() as session:
        assert session.scalar(select(func.count()).select_from(StaffAccount)) == 1
        assert session.scalar(select(func.count()).select_from(Audit).where(Audit.action == "staff.signed_in")) == 0


def test_a_disabled_account_is_refused(client, runtime, provider):
    account(runtime)  # the last admin cannot be disabled: the one to disable is a second
    host_id = account(runtime, "host@example.org", {"finance": []})
    with runtime.session() as session, session.begin():
        disable(session, session.get(StaffAccount, host_id))
    answer = through_provider(client, provider, Person(email="host@example.org"))
    refused(client, answer, 403, "Your account has been deactivated")
    assert signed_in_token(client) is None


def test_an_invited_account_is_refused_until_it_has_set_its_password(client, runtime, provider):
    with runtime.session() as session, session.begin():
        invite(session, {"email": "new@example.org", "name": "New", "roles": ["finance"]}, email_it=False)
    answer = through_provider(client, provider, Person(email="new@example.org"))
    refused(client, answer, 403, "Your account is not set up yet")
    assert signed_in_token(client) is None


@pytest.mark.parametrize("verified", [False, None, "false"])
def test_an_email_the_provider_has_not_verified_is_refused(client, runtime, provider, verified):
    account(runtime)
    answer = through_provider(client, provider, Person(email="admin@example.org", email_verified=verified))
    refused(client, answer, 403, "Your email address is not verified")
    assert signed_in_token(client) is None


def test_no_email_at_all_is_refused_as_unverified(client, runtime, provider):
    account(runtime)
    refused(client, through_provider(client, provider, Person(email=None)), 403, "Your email address is not verified")


def test_entra_ids_verified_domain_claim_counts_as_a_verified_email(client, runtime, provider):
    """Entra ID sends no `email_verified`; its optional claim `xms_edov` says the email's domain
    is one the tenant has verified (docs/deploy.md)."""
    account(runtime)
    answer = through_provider(client, provider, Person(email="admin@example.org", email_verified=None,
                                                       extra={"xms_edov": True}))
    assert answer.status_code == 302 and signed_in_token(client) is not None


def test_an_id_token_with_another_nonce_is_refused(client, runtime, provider):
    account(runtime)
    provider.wrong_nonce = "a-nonce-kx-never-sent-0123456789"
    answer = through_provider(client, provider, Person(email="admin@example.org"))
    refused(client, answer, 400, "could not be checked")
    assert signed_in_token(client) is None


def test_an_id_token_signed_with_a_key_the_issuer_does_not_publish_is_refused(client, runtime, provider):
    account(runtime)
    provider.sign_with_rogue_key = True
    refused(client, through_provider(client, provider, Person(email="admin@example.org")), 400, "could not be checked")
    assert signed_in_token(client) is None


def test_an_id_token_signed_with_a_shared_secret_is_refused(client, runtime, provider):
    """HS256 with the client secret as the key: anyone who holds the secret could make one."""
    account(runtime)
    provider.sign_with_client_secret = True
    refused(client, through_provider(client, provider, Person(email="admin@example.org")), 400, "could not be checked")
    assert signed_in_token(client) is None


def test_a_wrong_state_is_refused_before_the_code_is_used(client, runtime, provider):
    account(runtime)
    provider.person = Person(email="admin@example.org")
    started = client.get(START)
    at_provider = requests.get(started.headers["Location"], allow_redirects=False, timeout=10)
    query = parse_qs(urlsplit(at_provider.headers["Location"]).query)
    answer = client.get(f"/registration/login/sso/callback?code={query['code'][0]}&state=not-the-state-kx-sent")
    refused(client, answer, 400, "This sign-in could not be finished")
    assert signed_in_token(client) is None and len(provider.codes) == 1  # the code never reached the provider


def test_a_callback_answered_twice_signs_in_once(client, runtime, provider):
    account(runtime)
    provider.person = Person(email="admin@example.org")
    started = client.get(START)
    back = urlsplit(requests.get(started.headers["Location"], allow_redirects=False, timeout=10).headers["Location"])
    assert client.get(f"{back.path}?{back.query}").status_code == 302
    client.post("/registration/logout")
    refused(client, client.get(f"{back.path}?{back.query}"), 400, "This sign-in could not be finished")
    assert signed_in_token(client) is None


def test_another_browser_cannot_finish_a_sign_in_started_here(app, runtime, provider):
    """The state lives in the session of the browser that started: a callback link sent to
    someone else (login CSRF) signs nobody in there."""
    account(runtime)
    provider.person = Person(email="admin@example.org")
    started = app.test_client().get(START)
    back = urlsplit(requests.get(started.headers["Location"], allow_redirects=False, timeout=10).headers["Location"])
    victim = app.test_client()
    refused(victim, victim.get(f"{back.path}?{back.query}"), 400, "This sign-in could not be finished")
    assert signed_in_token(victim) is None


def test_the_providers_refusal_is_a_page_that_says_so(client, runtime, provider):
    account(runtime)
    provider.refuse = True
    answer = through_provider(client, provider, Person(email="admin@example.org"))
    page = refused(client, answer, 401, "Your organisation did not sign you in")
    assert "denied" not in main(page)  # nothing the provider (or a forger) wrote is shown
    assert signed_in_token(client) is None


@pytest.mark.parametrize("query", [
    "", "code=x", "state=", "state=x&code=y", "error=access_denied", "error=x&error_description=<script>alert(1)</script>",
    "state=%00&code=%ff", "code=" + "x" * 5000, "state=a&state=b",
])
def test_forged_callbacks_get_a_clear_page_and_never_a_5xx(client, runtime, query):
    page = refused(client, client.get(f"/registration/login/sso/callback?{query}"), 400,
                   "This sign-in could not be finished")
    assert "alert" not in main(page)


def test_the_refusal_page_in_the_other_language_gives_the_same_refusal(client, runtime, provider):
    account(runtime)
    refused(client, through_provider(client, provider, Person(email="stranger@example.org")), 403,
            "There is no account for you")
    welsh = client.get(f"{REFUSED}?lang=cy")
    assert welsh.status_code == 403 and "Nid oes cyfrif i chi" in welsh.get_data(as_text=True)


def test_the_refusal_page_with_no_refusal_to_show_sends_to_the_sign_in_page(client):
    answer = client.get(REFUSED)
    assert answer.status_code == 302 and answer.headers["Location"] == "/registration/login"


def test_a_forged_code_with_the_right_state_is_refused_by_the_provider(client, runtime, provider):
    account(runtime)
    started = client.get(START)
    state = parse_qs(urlsplit(started.headers["Location"]).query)["state"][0]
    answer = client.get(f"/registration/login/sso/callback?code=made-up&state={state}")
    refused(client, answer, 401, "Your organisation did not sign you in")


def test_a_provider_that_cannot_be_reached_is_a_page_that_says_so(client, runtime, provider):
    provider.stop()
    refused(client, client.get(START), 502, "sign-in is not available")
    assert "organisation account" in client.get("/registration/login").get_data(as_text=True)


def test_an_account_with_two_step_verification_is_asked_for_its_code_after_the_organisation(
        client, runtime, provider):
    staff_id = account(runtime)
    secret = turn_on_two_step(runtime, staff_id)
    answer = through_provider(client, provider, Person(email="admin@example.org"))
    assert answer.status_code == 302 and answer.headers["Location"].startswith("/registration/login/code")
    assert signed_in_token(client) is None
    done = client.post("/registration/login/code", data={"code": pyotp.TOTP(secret).now()})
    assert done.status_code == 302 and signed_in_token(client) is not None
    with runtime.session() as session:
        [entry] = session.scalars(select(Audit).where(Audit.action == "staff.signed_in")).all()
        assert entry.after == {"method": "sso"}


def turn_on_two_step(runtime, staff_id) -> str:
    earlier = utcnow() - timedelta(seconds=90)
    with runtime.session() as session, session.begin():
        row = session.get(StaffAccount, staff_id)
        secret = mfa.begin_setup(session, row, runtime.settings.secret_key)
        mfa.confirm_setup(session, row, runtime.settings.secret_key, pyotp.TOTP(secret).at(earlier), earlier)
    return secret


def test_with_kx_require_mfa_an_admin_without_a_second_factor_sets_it_up_first(tmp_path, provider):
    with kx(tmp_path / "var", KX_REQUIRE_MFA="1", **provider.settings()) as (runtime, client):
        account(runtime)
        answer = through_provider(client, provider, Person(email="admin@example.org"))
        assert answer.status_code == 302 and answer.headers["Location"] == "/registration/account/two-factor"
        assert signed_in_token(client) is None


def test_kx_refuses_to_start_with_half_the_settings_in_one_line(tmp_path, monkeypatch):
    for name, value in embedded_env(tmp_path / "var", KX_OIDC_ISSUER="https://login.example.org/t/v2.0",
                                    KX_OIDC_CLIENT_ID="kx").items():
        monkeypatch.setenv(name, value)
    monkeypatch.delenv("KX_OIDC_CLIENT_SECRET", raising=False)
    ran = CliRunner().invoke(kx_command, ["run"])
    assert ran.exit_code == 2
    assert ran.output.strip().splitlines() == [
        "kx: configuration error: KX_OIDC_CLIENT_SECRET: is required with KX_OIDC_ISSUER, KX_OIDC_CLIENT_ID "
        "(single sign-on needs all three)"]


def test_no_email_reaches_a_log_line_at_debug_whether_signed_in_or_refused(client, runtime, provider, caplog):
    """Not the email, and not the ID token that carries it (docs/privacy.md)."""
    account(runtime, "Known.Person@example.org")
    caplog.set_level(logging.DEBUG)
    assert through_provider(client, provider, Person(email="known.person@example.org")).status_code == 302
    client.post("/registration/logout")
    through_provider(client, provider, Person(email="unknown.person@example.org"))
    logged = "\n".join(record.getMessage() + str(record.args or "") for record in caplog.records).casefold()
    assert logged and "person@example.org" not in logged and "eyjhbgcioi" not in logged  # a JWT starts eyJhbGciOi


def test_a_discovery_document_that_names_another_issuer_is_not_trusted(tmp_path, provider):
    """The same provider reached by another name: its document says 127.0.0.1, kx was told localhost."""
    settings = {**provider.settings(), "KX_OIDC_ISSUER": provider.issuer.replace("127.0.0.1", "localhost")}
    with kx(tmp_path / "var", **settings) as (_runtime, client):
        refused(client, client.get(START), 502, "sign-in is not available")
        assert provider.authorisations == []


def test_starting_again_keeps_one_sign_in_waiting_so_the_cookie_does_not_grow(client, runtime, provider):
    for _ in range(5):
        assert client.get(START).status_code == 302
    with client.session_transaction() as session:
        assert len([key for key in session if key.startswith("_state_")]) == 1
