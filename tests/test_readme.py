"""The README tells a newcomer what they need first, and says it truly: where staff sign in, that
health is per service; and the package installs without a packaging warning about its metadata."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from shared.config import SERVICES
from shared.registry import create_app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text()


def test_the_readme_says_where_staff_sign_in_and_that_page_answers(embedded_settings):
    assert "Staff sign in at\n`/registration/login`" in README
    page = create_app("registration", {"KX_SETTINGS": embedded_settings}).test_client().get("/registration/login")
    assert page.status_code == 200 and 'name="password"' in page.text


def test_the_readme_says_health_is_per_service_and_names_each_address(embedded_settings):
    assert "`/<service>/healthz`" in README
    named = set(re.findall(r"`/(\w+)/healthz`", README))
    assert named == set(SERVICES)
    for service in SERVICES:
        client = create_app(service, {"KX_SETTINGS": embedded_settings}).test_client()
        assert client.get(f"/{service}/healthz").status_code == 200


def test_the_package_licence_is_an_spdx_expression_not_a_deprecated_table():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert project["project"]["license"] == "MIT"
    assert "setuptools>=77" in project["build-system"]["requires"], "the first setuptools to read SPDX strings"
