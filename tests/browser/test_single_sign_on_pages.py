"""Single sign-on in a real Chromium, in English and Welsh: the sign-in page with the button "Sign in
with your organisation account" and the page that refuses an email without an account have no
WCAG 2.0/2.1/2.2 A or AA violation that axe-core finds; and the button, followed through the
provider's real redirects, signs in an active account.

Its own `kx run`, pointed at the OpenID Connect provider of tests/support/oidc_provider.py (the
other browser tests' server has no single sign-on).
"""

from __future__ import annotations

import pytest

from services.registration.operations import create_staff
from shared.config import load
from shared.registry import load_service
from shared.service import Runtime
from shared.testing import embedded_env, free_port
from tests.support.oidc_provider import OidcProvider, Person
from tests.support.processes import Processes, wait_for_http

from .conftest import axe

pytestmark = pytest.mark.browser

LANGUAGES = ("en", "cy")
BUTTON = {"en": "Sign in with your organisation account", "cy": "Mewngofnodi gyda chyfrif eich sefydliad"}


class SsoServer:
    def __init__(self, base: str, settings, provider: OidcProvider):
        self.base, self.settings, self.provider = base, settings, provider


@pytest.fixture(scope="module")
def sso_server(tmp_path_factory):
    folder = tmp_path_factory.mktemp("browser-sso")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with OidcProvider(redirect_uris=[f"{base}/registration/login/sso/callback"]) as provider:
        env = embedded_env(folder / "var", KX_PORT=str(port), KX_DEMO="0", **provider.settings())
        processes = Processes(env, folder)
        processes.start("run")
        try:
            wait_for_http(f"{base}/registration/healthz", timeout=60)
            settings = load(env)
            with Runtime(load_service("registration"), settings).session() as session, session.begin():
                create_staff(session, "sso.admin@example.org", "Single Sign-On", "a long enough password",
                             {"admin": []})
            yield SsoServer(base, settings, provider)
        finally:
            processes.stop_all()


def _click_the_button(page, server: SsoServer, language: str):
    page.goto(f"{server.base}/registration/login?lang={language}")
    page.get_by_role("link", name=BUTTON[language]).click()
    page.wait_for_load_state()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sign_in_page_with_the_organisation_button_has_no_accessibility_violations(page, sso_server, language):
    response = page.goto(f"{sso_server.base}/registration/login?lang={language}")
    assert response is not None and response.status == 200
    assert page.locator("html").get_attribute("lang") == language
    assert page.get_by_role("link", name=BUTTON[language]).is_visible()
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_refusal_of_an_email_without_an_account_has_no_accessibility_violations(page, sso_server, language):
    sso_server.provider.person = Person(email=f"nobody.{language}@example.org")
    _click_the_button(page, sso_server, language)
    assert page.url == f"{sso_server.base}/registration/login/sso/refused"
    assert page.locator("html").get_attribute("lang") == language
    assert f"nobody.{language}@example.org" in page.locator("main").inner_text()
    axe(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_refusal_of_a_sign_in_not_started_here_has_no_accessibility_violations(page, sso_server, language):
    response = page.goto(f"{sso_server.base}/registration/login/sso/callback?code=x&state=y&lang={language}")
    assert response is not None and response.status == 400
    axe(page)


def test_the_button_signs_in_an_active_account_through_the_providers_redirects(page, sso_server):
    sso_server.provider.person = Person(email="SSO.Admin@example.org")
    _click_the_button(page, sso_server, "en")
    assert page.url == f"{sso_server.base}/registration/staff/"
    assert page.get_by_role("button", name="Sign out").is_visible()
