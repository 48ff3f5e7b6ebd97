"""Single sign-on for staff: kx as an OpenID Connect relying party, with Authlib's Flask client.

The authorisation code flow with PKCE (S256): the provider's endpoints and keys come from its
discovery document (`<issuer>/.well-known/openid-configuration`) and JWKS, fetched once per process
and again when the provider rotates its signing key. The state, nonce and PKCE verifier of a
sign-in wait in the session cookie (signed, HttpOnly, SameSite=Lax) until the provider sends the
browser back; Authlib checks the state, sends the verifier, verifies the ID token's signature
against the issuer's keys, its issuer, audience, expiry and nonce.

What this module adds: the discovery document must name the configured issuer (OpenID Connect
Discovery 1.0, 4.3), only asymmetric signatures count, and the email must be verified: the
standard `email_verified` claim, or Microsoft Entra ID's `xms_edov` (the email's domain is one
the tenant has verified), since Entra sends no `email_verified` (docs/deploy.md). Everything that
goes wrong is a `Refused` with a reason the page explains; none of it is a 5xx.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.flask_client import FlaskIntegration, FlaskOAuth2App
from flask import current_app, redirect, request, session
from joserfc.errors import JoseError

from .config import OidcSettings

log = logging.getLogger(__name__)

#: what kx asks the provider for: an ID token with the person's email and name
SCOPE = "openid email profile"
#: seconds to wait for the provider (discovery, keys, token endpoint)
TIMEOUT = 10
#: signatures an ID token may carry: public-key ones only (a shared secret signs nothing here)
SIGNING_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512")

#: why a single sign-on did not sign anyone in (the refusal page says what to do about each)
PROVIDER_REFUSED = "provider_refused"  # the provider answered with an error (cancelled, denied, ...)
STATE = "state"  # no sign-in of this browser waits for this answer: forged, replayed or too old
TOKEN = "token"  # noqa: S105 - a reason: the ID token did not verify (signature, issuer, audience, expiry, nonce)
UNVERIFIED = "unverified"  # no email, or one the provider has not verified
UNAVAILABLE = "unavailable"  # the provider could not be reached or answered nonsense


EXTENSION = "kx_organisation_sign_in"
#: the session keys Authlib keeps a sign-in's state data under
_STATE_KEYS = "_state_kx_oidc_"


class Refused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class VerifiedEmail:
    """What a single sign-on established: an email the provider vouches for, and where to go next."""

    email: str
    next_url: str | None


class OrganisationSignIn:
    """One provider's client, made once per app: it keeps the discovery document and keys."""

    def __init__(self, config: OidcSettings):
        self.config = config
        self.client = FlaskOAuth2App(
            FlaskIntegration("kx_oidc"), name="kx_oidc", client_id=config.client_id,
            client_secret=config.client_secret, server_metadata_url=config.discovery_url,
            client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": TIMEOUT})

    def start(self, redirect_uri: str, next_url: str | None):
        """The redirect to the provider's sign-in; the sign-in's state, nonce and verifier (and
        where to go after) are kept in the session under the state."""
        self._metadata()
        try:
            started = self.client.create_authorization_url(redirect_uri)
        except (requests.RequestException, RuntimeError, ValueError) as error:
            raise self._unavailable(error) from error
        for key in [key for key in session if key.startswith(_STATE_KEYS)]:
            session.pop(key)  # one sign-in at a time: clicking again must not grow the cookie
        self.client.save_authorize_data(redirect_uri=redirect_uri, next_url=next_url, **started)
        return redirect(started["url"])

    def finish(self) -> VerifiedEmail:
        """The provider's answer at the callback, checked: the verified email, or `Refused`."""
        state = request.args.get("state") or ""
        waiting = self.client.framework.get_state_data(session, state) if state else None
        if not isinstance(waiting, dict):
            raise Refused(STATE)
        if request.args.get("error"):
            self.client.framework.clear_state_data(session, state)  # this sign-in is over
            raise Refused(PROVIDER_REFUSED)
        self._metadata()
        try:
            token = self.client.authorize_access_token()
        except MismatchingStateError as error:
            raise Refused(STATE) from error
        except OAuthError as error:  # the token endpoint refused the code (spent, expired, forged)
            raise Refused(PROVIDER_REFUSED) from error
        except requests.RequestException as error:
            raise self._unavailable(error) from error
        except (JoseError, ValueError, TypeError, KeyError) as error:
            log.info("single sign-on: the ID token did not verify (%s)", type(error).__name__)
            raise Refused(TOKEN) from error
        claims = token.get("userinfo")
        if not claims:  # no ID token at all: nothing vouches for anyone
            raise Refused(TOKEN)
        email = claims.get("email")
        if not isinstance(email, str) or "@" not in email or not verified_email(claims):
            raise Refused(UNVERIFIED)
        return VerifiedEmail(email=email.strip().casefold(), next_url=waiting.get("next_url"))

    def _metadata(self) -> dict:
        """The discovery document, fetched once: it must be the configured issuer's own."""
        try:
            metadata = self.client.load_server_metadata()
        except (requests.RequestException, ValueError) as error:
            raise self._unavailable(error) from error
        if str(metadata.get("issuer", "")).rstrip("/") != self.config.issuer:
            self.client.server_metadata.clear()  # fetch it again next time: it may be put right
            log.warning("single sign-on: the discovery document names another issuer than KX_OIDC_ISSUER")
            raise Refused(UNAVAILABLE)
        # what Authlib will accept; never empty, since an empty list would let joserfc fall back
        # to its own defaults, a shared-secret HS256 among them (RS256 is OpenID Connect's default)
        offered = metadata.get("id_token_signing_alg_values_supported") or []
        metadata["id_token_signing_alg_values_supported"] = [a for a in offered if a in SIGNING_ALGORITHMS] or ["RS256"]
        return metadata

    @staticmethod
    def _unavailable(error: Exception) -> Refused:
        log.warning("single sign-on: the provider could not be reached (%s)", type(error).__name__)
        return Refused(UNAVAILABLE)


def verified_email(claims) -> bool:
    """The provider vouches for the email: `email_verified`, or Entra ID's `xms_edov` (some
    providers send either as the string "true")."""
    return any(claims.get(name) in (True, "true", "True", "1", 1) for name in ("email_verified", "xms_edov"))


def install(app, config: OidcSettings | None) -> None:
    """Give the app its provider's client (None: single sign-on is off)."""
    app.extensions[EXTENSION] = None if config is None else OrganisationSignIn(config)


def of_app() -> OrganisationSignIn | None:
    return current_app.extensions.get(EXTENSION)
