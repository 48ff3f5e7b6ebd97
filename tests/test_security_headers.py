"""Headers, cookies and CSRF on every service, as production configures them (CSRF on).

- Every HTML page of every service (each GET route, as the programme team and anonymously, on
  the demo data) answers without a 5xx; every POST form on it carries a CSRF token; no page holds
  an inline script or an event-handler attribute (the CSP would block them anyway).
- Every HTML POST route refuses a post without the token: 400 and a page that says what to do.
- Every answer carries the CSP (no inline scripts, `frame-ancestors 'none'`), nosniff and a
  referrer policy; HSTS only over TLS (directly, or X-Forwarded-Proto from a trusted proxy).
- The session and language cookies are HttpOnly and SameSite=Lax, and Secure over TLS.
- Sign-in locks an account after 5 failures, through the API and the form; an expired token is
  refused by every service.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from shared.auth import Staff, issue_token
from shared.bootstrap import load_demo, migrate
from shared.config import load
from shared.registry import create_app, load_service
from shared.service import Runtime
from shared.testing import embedded_env, staff_token

SERVICES = ("registration", "notifications", "learning", "expenses")
#: a value for each path parameter of the HTML routes: demo ids, a demo claimant's manage token
PATH_VALUES = {"exchange_id": "1", "claim_id": "1", "run_id": "1", "message_id": "1", "item_id": "1",
               "receipt_id": "1", "code": "T1", "token": "demo-expenses-claimant-1", "action": "approve"}
CSRF_REFUSED = "did not come from this site"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - the demo accounts' documented password


@pytest.fixture(scope="module")
def system(tmp_path_factory):
    """The four apps, as production configures them, on one migrated database set with demo data."""
    settings = load(embedded_env(tmp_path_factory.mktemp("security") / "var", KX_DEMO="1",
                                 KX_DEMO_PASSWORD=DEMO_PASSWORD, KX_TRUSTED_PROXIES="1"))
    migrate(settings)
    load_demo(settings)
    runtimes = {name: Runtime(load_service(name), settings) for name in SERVICES}
    apps = {name: create_app(name, {"KX_RUNTIME": runtime, "KX_APPLY_RATE_LIMIT": "0"})
            for name, runtime in runtimes.items()}
    yield settings, apps
    for runtime in runtimes.values():
        runtime.dispose()


def admin_headers(settings) -> dict:
    """A member of staff who may open every staff page: no role implies another, so the programme
    team's `admin` (which hosts' and leads' pages admit too) and `finance`."""
    return {"Authorization": f"Bearer {staff_token(settings, {'admin': [], 'finance': []})}", "Accept": "text/html"}


def html_routes(app, method: str):
    """`(rule, url)` of every HTML route answering `method`, its parameters filled from PATH_VALUES."""
    for rule in app.url_map.iter_rules():
        if method not in rule.methods or "/api/" in rule.rule or "filename" in rule.arguments:
            continue
        if rule.rule.endswith("/healthz"):
            continue
        url = rule.rule
        for name in rule.arguments:
            url = re.sub(rf"<(?:[a-z]+(?:\([^)]*\))?:)?{name}>", PATH_VALUES.get(name, "1"), url)
        yield rule.rule, url


def forms(page: str) -> list[str]:
    return re.findall(r"<form\b.*?</form>", page, re.S | re.I)


@pytest.mark.parametrize("name", SERVICES)
def test_every_post_form_on_every_page_carries_a_csrf_token_and_no_page_has_an_inline_script(system, name):
    settings, apps = system
    client = apps[name].test_client()
    pages_read = 0
    for _rule, url in html_routes(apps[name], "GET"):
        for headers in (admin_headers(settings), {"Accept": "text/html"}):
            response = client.get(url, headers=headers)
            assert response.status_code < 500, f"{url}: {response.status_code}"
            if response.mimetype != "text/html":
                continue
            pages_read += 1
            page = response.get_data(as_text=True)
            for form in forms(page):
                if re.search(r'method="post"', form, re.I):
                    assert 'name="csrf_token"' in form, f"a form on {url} has no CSRF token"
            assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", page, re.I), f"inline script on {url}"
            assert not re.search(r"<[a-z]+[^>]*\son[a-z]+=", page, re.I), f"event-handler attribute on {url}"
    assert pages_read > 0


@pytest.mark.parametrize("name", SERVICES)
def test_every_html_post_without_its_csrf_token_is_refused_with_a_page_that_says_what_to_do(system, name):
    settings, apps = system
    client = apps[name].test_client()
    posted = 0
    for rule, url in html_routes(apps[name], "POST"):
        response = client.post(url, data={"anything": "typed"}, headers=admin_headers(settings))
        assert response.status_code == 400, f"{rule}: {response.status_code}"
        assert response.mimetype == "text/html" and CSRF_REFUSED in response.get_data(as_text=True), rule
        posted += 1
    assert posted > 0


@pytest.mark.parametrize("name", SERVICES)
def test_every_answer_carries_the_security_headers_and_hsts_only_over_tls(system, name):
    settings, apps = system
    client = apps[name].test_client()
    for url in (f"/{name}/", f"/{name}/api/openapi.json", f"/{name}/no-such-page", f"/{name}/healthz"):
        response = client.get(url)
        csp = dict(part.strip().split(" ", 1) for part in response.headers["Content-Security-Policy"].split(";"))
        assert csp["script-src"] == "'self'" and "unsafe-inline" not in csp.get("default-src", "")
        assert csp["frame-ancestors"] == "'none'"
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        assert "Strict-Transport-Security" not in response.headers
        over_tls = client.get(url, base_url="https://kx.example.org")
        assert over_tls.headers["Strict-Transport-Security"].startswith("max-age=")
        via_proxy = client.get(url, headers={"X-Forwarded-Proto": "https", "X-Forwarded-For": "192.0.2.7"})
        assert "Strict-Transport-Security" in via_proxy.headers  # one proxy is trusted here


def test_a_forwarded_scheme_from_an_untrusted_client_turns_on_nothing(tmp_path):
    settings = load(embedded_env(tmp_path / "var"))  # no trusted proxy: the embedded default
    migrate(settings, ["registration"])
    app = create_app("registration", {"KX_RUNTIME": Runtime(load_service("registration"), settings)})
    response = app.test_client().get("/registration/?lang=cy", headers={"X-Forwarded-Proto": "https"})
    assert "Strict-Transport-Security" not in response.headers
    assert "Secure" not in response.headers["Set-Cookie"]


def _cookie(response, name: str) -> str:
    return next(value for value in response.headers.getlist("Set-Cookie") if value.startswith(f"{name}="))


def test_session_and_language_cookies_are_httponly_samesite_lax_and_secure_over_tls(system):
    settings, apps = system
    client = apps["registration"].test_client()
    for base, secure in (("http://localhost", False), ("https://kx.example.org", True)):
        page = client.get("/registration/login?lang=cy", base_url=base)
        language = _cookie(page, "kx_lang")
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.get_data(as_text=True)).group(1)
        signed_in = client.post("/registration/login", base_url=base, headers={"Referer": f"{base}/registration/login"},
                                data={"csrf_token": token, "email": "admin@example.org", "password": DEMO_PASSWORD})
        assert signed_in.status_code == 302
        session = _cookie(signed_in, "kx_session")
        for cookie in (language, session):
            assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
            assert ("; Secure" in cookie) is secure, cookie
        client.post("/registration/logout", base_url=base, headers={"Referer": f"{base}/registration/"},
                    data={"csrf_token": token})


def test_five_failed_sign_ins_lock_the_account_through_the_api_and_the_form(system):
    _settings, apps = system
    client = apps["registration"].test_client()
    for _ in range(5):
        wrong = client.post("/registration/api/auth/token", json={"email": "finance2@example.org", "password": "x"})
        assert wrong.status_code == 401
    right = {"email": "finance2@example.org", "password": DEMO_PASSWORD}
    locked = client.post("/registration/api/auth/token", json=right)
    assert locked.status_code == 401 and "token" not in locked.get_data(as_text=True)
    page = client.get("/registration/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    form = client.post("/registration/login", data={"csrf_token": token, **right})
    assert form.status_code == 401 and "kx_session=" not in "".join(form.headers.getlist("Set-Cookie"))


@pytest.mark.parametrize("name", SERVICES)
def test_an_expired_or_forged_token_is_refused_by_every_service(system, name):
    settings, apps = system
    admin = Staff(id=1, name="Admin", roles={"admin": []})
    expired, _ = issue_token(settings.secret_key, admin, lifetime=timedelta(seconds=-1))
    forged, _ = issue_token("another-secret-that-is-long-enough-to-sign", admin)
    staff_only = {"registration": "/registration/api/numbers", "notifications": "/notifications/api/messages?to=a",
                  "learning": "/learning/api/impact", "expenses": "/expenses/api/dashboard"}[name]
    client = apps[name].test_client()
    for token in (expired, forged, "not-a-token"):
        response = client.get(staff_only, headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401 and response.json["error"]["code"] == "unauthorised"
    roles = {"finance": []} if name == "expenses" else {"admin": []}
    fresh = client.get(staff_only, headers={"Authorization": f"Bearer {staff_token(settings, roles)}"})
    assert fresh.status_code == 200
