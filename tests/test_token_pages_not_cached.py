"""An address that carries a token (a manage link, a set-password link) opens someone's data: no
answer to it is kept in a browser's or a proxy's cache (docs/privacy.md, "Files")."""

from __future__ import annotations

import re

import pytest

from tests.support.journey import run_journey, start


@pytest.fixture(scope="module")
def journey(tmp_path_factory):
    system = start(tmp_path_factory.mktemp("no-store"))
    ids = run_journey(system)
    yield system, ids["manage_token"]
    system.embedded.shutdown()


def test_every_page_of_a_manage_link_answers_no_store(journey):
    system, token = journey
    for path in (f"/registration/manage/{token}", f"/learning/manage/{token}", f"/expenses/manage/{token}",
                 f"/registration/api/applications/{token}"):
        response = system.client.get(path)
        assert response.status_code == 200, path
        assert response.headers.get("Cache-Control") == "no-store", path


def test_every_route_whose_address_carries_a_token_answers_no_store_even_when_refused(journey):
    system, _token = journey
    routes = [(prefix, rule) for prefix, app in system.embedded.app.apps.items() for rule in app.url_map.iter_rules()
              if "<token>" in rule.rule and "GET" in rule.methods]
    assert len(routes) >= 5, routes
    for prefix, rule in routes:
        path = re.sub(r"<int:\w+>", "1", rule.rule.replace("<token>", "unknown-" + "x" * 40))
        response = system.client.get(path)
        assert response.headers.get("Cache-Control") == "no-store", (path, response.status_code)
