"""Manage tokens travel and rest sealed; only a holder of the link key opens them (shared/link_seal.py)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from cryptography.fernet import Fernet

from shared import link_seal
from shared.config import ConfigError, load
from shared.manage_tokens import manage_link, mask_links, masked, new_token, unmask_links
from shared.testing import embedded_env


@pytest.fixture
def settings(tmp_path):
    return load(embedded_env(tmp_path))


def test_a_sealed_token_opens_with_the_key_and_shows_nothing_of_the_token(settings):
    token = new_token()
    sealed = link_seal.seal(settings, token)
    assert token not in sealed and token[:6] not in sealed
    assert link_seal.unseal(settings, sealed) == token
    assert link_seal.seal(settings, token) != sealed, "sealed afresh each time: equal tokens do not show"


def test_another_secret_or_a_changed_seal_opens_nothing(settings):
    sealed = link_seal.seal(settings, new_token())
    other = replace(settings, secret_key="another-secret-key-that-is-long-enough-too")
    assert link_seal.unseal(other, sealed) is None
    assert link_seal.unseal(settings, sealed[:-4] + ("AAAA" if not sealed.endswith("AAAA") else "BBBB")) is None
    for junk in (None, "", 5, "x" * 5000, "not-a-seal"):
        assert link_seal.unseal(settings, junk) is None


def test_setting_link_keys_later_still_opens_what_the_derived_key_sealed(settings):
    token = new_token()
    before = link_seal.seal(settings, token)
    keyed = replace(settings, extra={**settings.extra, "KX_LINK_KEYS": Fernet.generate_key().decode()})
    assert link_seal.unseal(keyed, before) == token
    after = link_seal.seal(keyed, token)
    assert link_seal.unseal(settings, after) is None, "the new key is not derivable from the secret"


def test_a_link_key_that_is_not_a_fernet_key_is_a_configuration_error(settings):
    with pytest.raises(ConfigError, match="KX_LINK_KEYS"):
        link_seal.check(replace(settings, extra={**settings.extra, "KX_LINK_KEYS": "short"}))


def test_masked_links_keep_three_characters_and_unmask_to_the_working_link():
    token = new_token()
    link = manage_link(token, "https://kx.example.org")
    stored = mask_links(f"See {link} or /learning/manage/{token}.")
    assert token not in stored and f"/registration/manage/{masked(token)}" in stored
    assert unmask_links(stored, token) == f"See {link} or /learning/manage/{token}."
    assert manage_link(masked(token)) == f"/registration/manage/{token[:3]}\u2026"
