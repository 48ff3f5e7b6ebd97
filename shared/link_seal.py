"""Manage tokens sealed for the journey from registration to the email that carries them.

Registration keeps only a token's hash, and the person's email is the only place the token
should be readable; but notifications must put it into that email, and into later ones
(reminders, joining information). So the token travels and rests sealed: authenticated
encryption (Fernet: AES-128-CBC with HMAC-SHA256) under a key for this purpose alone. Events,
outboxes and notifications' tables hold the sealed form; notifications opens it at the moment of
sending, to put the link into the outgoing message (services/notifications/operations/links.py).

The key: `KX_LINK_KEYS`, Fernet keys, comma-separated, newest first (older ones still open),
given to registration and notifications only. Without it, a key derived from `KX_SECRET_KEY` for
this purpose, which also stays among the keys that open, so setting `KX_LINK_KEYS` later loses
nothing. Either way, whoever reads a database dump, an outbox or the bus without the key reads
no working link.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from .config import ConfigError, Settings
from .manage_tokens import well_formed

SETTING = "KX_LINK_KEYS"
#: longer input than any seal of a token we issue is refused before decrypting
MAX_SEALED_LENGTH = 400


def seal(settings: Settings, token: str) -> str:
    """The token sealed with the newest key: what events and notifications' tables carry."""
    if not well_formed(token):
        raise ValueError("not a manage token")
    return _keys(settings.secret_key, settings.extra.get(SETTING, "")).encrypt(token.encode()).decode()


def unseal(settings: Settings, sealed: object) -> str | None:
    """The token inside, or None when no key opens it or what it holds is not a token."""
    if not isinstance(sealed, str) or not 0 < len(sealed) <= MAX_SEALED_LENGTH:
        return None
    try:
        token = _keys(settings.secret_key, settings.extra.get(SETTING, "")).decrypt(sealed.encode()).decode()
    except (InvalidToken, UnicodeDecodeError, ValueError):
        return None
    return token if well_formed(token) else None


def check(settings: Settings) -> None:
    """Raise ConfigError naming `KX_LINK_KEYS` when it is set but not a list of Fernet keys."""
    _keys(settings.secret_key, settings.extra.get(SETTING, ""))


@functools.lru_cache(maxsize=16)
def _keys(secret: str, configured: str) -> MultiFernet:
    keys = []
    for key in (k.strip() for k in configured.split(",") if k.strip()):
        try:
            keys.append(Fernet(key))
        except (ValueError, TypeError):
            raise ConfigError(SETTING, "each key must be a Fernet key (python -c 'from cryptography.fernet import "
                                       "Fernet; print(Fernet.generate_key().decode())')") from None
    derived = hmac.new(secret.encode(), b"kx.manage-link-seal", hashlib.sha256).digest()
    keys.append(Fernet(base64.urlsafe_b64encode(derived)))
    return MultiFernet(keys)
