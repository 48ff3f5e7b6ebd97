"""Manage tokens are made, hashed, checked and linked in one place, and every service uses it."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest

from shared import manage_tokens
from shared.bootstrap import migrate
from shared.manage_tokens import (
    MAX_TOKEN_LENGTH,
    expenses_link,
    learning_link,
    manage_link,
    new_token,
    token_hash,
    well_formed,
)
from shared.registry import create_app, load_service
from shared.service import Runtime

ROOT = Path(__file__).resolve().parents[2]
OVERSIZED = "a" * (MAX_TOKEN_LENGTH + 1)
MALFORMED = ("tok.en", "tok%20en", "tok~en", "t\u00f6ken", "tok\ud800en")


def test_a_new_token_is_long_random_and_url_safe():
    tokens = {new_token() for _ in range(50)}
    assert len(tokens) == 50
    for token in tokens:
        assert well_formed(token) and re.fullmatch(r"[A-Za-z0-9_-]{43}", token)  # 256 bits


def test_the_hash_is_stable_sha256_hex_of_the_token():
    # Registration's database, learning's and expenses' projections and every booking event already
    # hold hashes made this way: changing it would lock every applicant out everywhere.
    assert token_hash("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    token = new_token()
    assert token_hash(token) == hashlib.sha256(token.encode()).hexdigest()


@pytest.mark.parametrize("token", [None, "", 42, b"abc", OVERSIZED, *MALFORMED])
def test_malformed_and_oversized_tokens_are_not_well_formed(token):
    assert not well_formed(token)


def test_the_longest_token_we_accept():
    assert well_formed("a" * MAX_TOKEN_LENGTH)


def test_links_are_paths_on_this_origin_or_absolute_from_the_public_url():
    assert manage_link("tok-1") == "/registration/manage/tok-1"
    assert learning_link("tok-1") == "/learning/manage/tok-1"
    assert expenses_link("tok-1") == "/expenses/manage/tok-1"
    assert manage_link("tok-1", "https://kx.example.org/") == "https://kx.example.org/registration/manage/tok-1"
    assert learning_link("tok-1", "https://kx.example.org") == "https://kx.example.org/learning/manage/tok-1"


@pytest.mark.parametrize("build", [manage_link, learning_link, expenses_link])
@pytest.mark.parametrize("token", ["", "../staff", "tok-1?x=1", OVERSIZED])
def test_no_link_is_built_from_anything_but_a_token(build, token):
    with pytest.raises(ValueError):
        build(token)


def test_the_links_are_built_only_here():
    """No service writes a manage link by hand (routes and docstrings may name them)."""
    written = re.compile(r"""["'](?:https?://[^"']*)?/(?:registration|learning|expenses)/manage/""")
    found = [f"{path.relative_to(ROOT)}:{number}"
             for path in (ROOT / "services").rglob("*.py") if "tests" not in path.parts and "migrations" not in path.parts
             for number, line in enumerate(path.read_text().splitlines(), start=1) if written.search(line)]
    assert found == []


def test_no_service_hashes_a_token_itself():
    """The services keep no copy of the hash: a token hash is computed only in manage_tokens."""
    copies = [f"{path.relative_to(ROOT)}"
              for path in (ROOT / "services").rglob("*.py") if "tests" not in path.parts
              if re.search(r"sha256\([^)]*token", path.read_text())]
    assert copies == []


# Every route an applicant reaches with their token, in each service: (method, path, JSON body).
# An oversized token in a JSON body is refused by the API's schema (422) before any lookup.
TOKEN_ROUTES = {
    "registration": [("GET", "/registration/api/applications/{t}", None),
                     ("GET", "/registration/manage/{t}", None),
                     ("POST", "/registration/api/applications/{t}/bookings/1/cancel", None)],
    "learning": [("GET", "/learning/manage/{t}", None),
                 ("POST", "/learning/api/feedback", {"about": "conference", "would_recommend": True, "rating": 5,
                                                     "comment": ""}),
                 ("PUT", "/learning/api/reflections", {"exchange_id": 1, "text": "x", "credit_as": "x"})],
    "expenses": [("GET", "/expenses/manage/{t}", None),
                 ("GET", "/expenses/api/claims/1?manage_token={t}", None),
                 ("POST", "/expenses/api/claims/1/withdraw", {})],
}


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    from shared.config import load
    from shared.testing import embedded_env

    settings = load(embedded_env(tmp_path_factory.mktemp("tokens") / "var"))
    migrate(settings, TOKEN_ROUTES)
    runtimes = {name: Runtime(load_service(name), settings) for name in TOKEN_ROUTES}
    yield {name: create_app(name, {"KX_RUNTIME": runtime, "TESTING": True, "WTF_CSRF_ENABLED": False})
           for name, runtime in runtimes.items()}
    for runtime in runtimes.values():
        runtime.dispose()


def _ask(app, method, path, body, token):
    client = app.test_client()
    url = path.format(t=token)
    if body is None:
        return client.open(url, method=method)
    return client.open(url, method=method, json={**body, "manage_token": token})


@pytest.mark.parametrize("service", TOKEN_ROUTES)
@pytest.mark.parametrize("token", [OVERSIZED, "tok.en", "tok~en", "t\u00f6ken"])
def test_every_service_refuses_a_malformed_or_oversized_token_before_hashing_it(apps, monkeypatch, service, token):
    hashed = []
    monkeypatch.setattr(manage_tokens, "token_hash", lambda t: hashed.append(t) or "0" * 64)
    for method, path, body in TOKEN_ROUTES[service]:
        status = _ask(apps[service], method, path, body, token).status_code
        expected = (404, 422) if body is not None and len(token) > MAX_TOKEN_LENGTH else (404,)
        assert status in expected, (method, path, status)
    assert hashed == []


@pytest.mark.parametrize("service", TOKEN_ROUTES)
def test_every_service_looks_up_a_well_formed_token_by_its_hash(apps, monkeypatch, service):
    hashed = []
    monkeypatch.setattr(manage_tokens, "token_hash", lambda t: hashed.append(t) or "0" * 64)
    for method, path, body in TOKEN_ROUTES[service]:
        assert _ask(apps[service], method, path, body, "unknown-token").status_code == 404, (method, path)
    assert hashed and set(hashed) == {"unknown-token"}
