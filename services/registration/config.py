"""Registration's own settings, read from the `KX_` environment the shared settings carry.

| variable | meaning | default |
|---|---|---|
| `KX_OIDC_ISSUER` | the OpenID Connect provider staff may sign in with (its discovery document is `<issuer>/.well-known/openid-configuration`), e.g. `https://login.microsoftonline.com/<tenant-id>/v2.0` | none: no single sign-on |
| `KX_OIDC_CLIENT_ID` | kx's client id (application id) at that provider | none |
| `KX_OIDC_CLIENT_SECRET` | kx's client secret at that provider | none |
| `KX_PRIVACY_CONTROLLER` | who the privacy notice names as the data controller | `Example Health Board` (a demo) |
| `KX_PRIVACY_CONTACT` | the email address the privacy notice gives for questions about people's information | `privacy@example.org` |

The three go together: all set turns single sign-on on, none leaves it off, and some but not all
is a configuration error (a half-configured sign-in would fail only when someone tries it).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from shared.config import ConfigError, Settings

OIDC_VARIABLES = ("KX_OIDC_ISSUER", "KX_OIDC_CLIENT_ID", "KX_OIDC_CLIENT_SECRET")
#: hosts where a plain-HTTP issuer is allowed: a provider on this machine (tests, development)
_LOOPBACK = {"127.0.0.1", "localhost", "::1"}


@dataclass(frozen=True)
class OidcSettings:
    issuer: str
    client_id: str
    client_secret: str

    @property
    def discovery_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"


def oidc_settings(settings: Settings) -> OidcSettings | None:
    """The single sign-on provider, or None when single sign-on is off."""
    values = {name: (settings.extra.get(name) or "").strip() for name in OIDC_VARIABLES}
    missing = [name for name, value in values.items() if not value]
    if len(missing) == len(OIDC_VARIABLES):
        return None
    if missing:
        raise ConfigError(missing[0], f"is required with {', '.join(n for n in OIDC_VARIABLES if n not in missing)} "
                                      "(single sign-on needs all three)")
    issuer = values["KX_OIDC_ISSUER"].rstrip("/")
    parts = urlsplit(issuer)
    if not parts.hostname or parts.query or parts.fragment or not (
            parts.scheme == "https" or (parts.scheme == "http" and parts.hostname in _LOOPBACK)):
        raise ConfigError("KX_OIDC_ISSUER", "must be the provider's https:// issuer URL, without ? or #, e.g. "
                                            "https://login.microsoftonline.com/<tenant-id>/v2.0")
    return OidcSettings(issuer=issuer, client_id=values["KX_OIDC_CLIENT_ID"],
                        client_secret=values["KX_OIDC_CLIENT_SECRET"])


@dataclass(frozen=True)
class PrivacyNotice:
    """Who the privacy notice names: the data controller and where to ask about one's information."""

    controller: str
    contact: str


def privacy_notice(settings: Settings) -> PrivacyNotice:
    contact = (settings.extra.get("KX_PRIVACY_CONTACT") or "privacy@example.org").strip()
    if "@" not in contact or any(c.isspace() for c in contact):
        raise ConfigError("KX_PRIVACY_CONTACT", "must be an email address, e.g. privacy@example.org")
    return PrivacyNotice(controller=(settings.extra.get("KX_PRIVACY_CONTROLLER") or "Example Health Board").strip(),
                         contact=contact)
