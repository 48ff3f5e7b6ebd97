"""A real OpenID Connect provider on loopback, for the single sign-on tests.

Built on Authlib's provider implementation, not written by hand: its Flask `AuthorizationServer`
with the authorisation code grant, `authlib.oidc.core`'s `OpenIDCode` (the ID token) and RFC 7636's
`CodeChallenge` (PKCE, here S256 and required of every client). It serves a discovery document,
its JWKS, the authorisation endpoint and the token endpoint (client_secret_basic) on
127.0.0.1:<a free port>, in a thread of werkzeug's server, and signs RS256 ID tokens with an RSA
key generated when it starts.

Who is signed in at the provider is the test's choice (`provider.person`): the authorisation
endpoint answers as an organisation's sign-in does for someone already signed in there. A test may
also make it behave as a forger or a broken provider would: sign another nonce than the one kx
sent (`wrong_nonce`), sign with a key it does not publish (`sign_with_rogue_key`), sign HS256 with
the client secret (`sign_with_client_secret`), or refuse (`refuse`).
`provider.authorisations` keeps the query of every authorisation request, to check what kx sent.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass, field

from authlib.integrations.flask_oauth2 import AuthorizationServer
from authlib.oauth2 import OAuth2Error
from authlib.oauth2.rfc6749 import ClientMixin, InvalidRequestError, grants
from authlib.oauth2.rfc7636 import CodeChallenge
from authlib.oidc.core import UserInfo
from authlib.oidc.core.grants import OpenIDCode
from authlib.oidc.core.models import AuthorizationCodeMixin
from flask import Flask, jsonify, request
from joserfc.jwk import KeySet, OctKey, RSAKey
from werkzeug.serving import make_server

SCOPES = ("openid", "email", "profile")
#: how long an authorisation code may wait for the token request
CODE_SECONDS = 60


@dataclass
class Person:
    """Someone signed in at the organisation: the claims their ID token carries."""

    email: str | None
    email_verified: bool | None = True
    name: str = "Sam Staff"
    sub: str = field(default_factory=lambda: secrets.token_hex(8))
    #: claims beyond the standard ones, e.g. Entra ID's {"xms_edov": True}
    extra: dict = field(default_factory=dict)

    def claims(self, scope: str) -> dict:
        claims = {"sub": self.sub}
        if "email" in scope.split():
            claims.update({k: v for k, v in (("email", self.email), ("email_verified", self.email_verified))
                           if v is not None})
        if "profile" in scope.split():
            claims["name"] = self.name
        return {**claims, **self.extra}


class Client(ClientMixin):
    """kx, registered at the provider as a confidential web client."""

    def __init__(self, client_id: str, client_secret: str, redirect_uris: list[str]):
        self.client_id, self.client_secret, self.redirect_uris = client_id, client_secret, redirect_uris

    def get_client_id(self):
        return self.client_id

    def get_default_redirect_uri(self):
        return self.redirect_uris[0]

    def get_allowed_scope(self, scope):
        return " ".join(s for s in (scope or "").split() if s in SCOPES)

    def check_redirect_uri(self, redirect_uri):
        return redirect_uri in self.redirect_uris

    def check_client_secret(self, client_secret):
        return hmac.compare_digest(client_secret.encode(), self.client_secret.encode())

    def check_endpoint_auth_method(self, method, endpoint):
        return method == "client_secret_basic" if endpoint == "token" else True

    def check_response_type(self, response_type):
        return response_type == "code"

    def check_grant_type(self, grant_type):
        return grant_type == "authorization_code"


@dataclass
class Code(AuthorizationCodeMixin):
    code: str
    client_id: str
    redirect_uri: str
    scope: str
    person: Person
    nonce: str | None
    code_challenge: str | None
    code_challenge_method: str | None
    auth_time: int
    issued: float = field(default_factory=time.time)

    def get_redirect_uri(self):
        return self.redirect_uri

    def get_scope(self):
        return self.scope

    def get_nonce(self):
        return self.nonce

    def get_auth_time(self):
        return self.auth_time


class _CodeGrant(grants.AuthorizationCodeGrant):
    TOKEN_ENDPOINT_AUTH_METHODS = ["client_secret_basic"]

    def save_authorization_code(self, code, request):
        provider: OidcProvider = self.server.provider
        data = request.payload.data
        provider.codes[code] = Code(
            code=code, client_id=request.client.get_client_id(), redirect_uri=request.payload.redirect_uri,
            scope=request.client.get_allowed_scope(request.payload.scope), person=request.user,
            nonce=provider.wrong_nonce or data.get("nonce"), code_challenge=data.get("code_challenge"),
            code_challenge_method=data.get("code_challenge_method"), auth_time=int(time.time()))

    def query_authorization_code(self, code, client):
        found = self.server.provider.codes.get(code)
        if found and found.client_id == client.get_client_id() and time.time() - found.issued < CODE_SECONDS:
            return found
        return None

    def delete_authorization_code(self, authorization_code):
        self.server.provider.codes.pop(authorization_code.code, None)  # a code is good once

    def authenticate_user(self, authorization_code):
        return authorization_code.person


class _PkceS256Required(CodeChallenge):
    """PKCE of every client, confidential ones too, and only with S256."""

    SUPPORTED_CODE_CHALLENGE_METHOD = ["S256"]

    def validate_code_challenge(self, grant, redirect_uri):
        if grant.request.payload.data.get("code_challenge_method") != "S256":
            raise InvalidRequestError("PKCE with code_challenge_method=S256 is required")
        super().validate_code_challenge(grant, redirect_uri)


class _IdTokens(OpenIDCode):
    def __init__(self, provider: OidcProvider):
        super().__init__(require_nonce=True)
        self.provider = provider

    def exists_nonce(self, nonce, request):
        return any(code.nonce == nonce for code in self.provider.codes.values())

    def resolve_client_private_key(self, client):
        if self.provider.sign_with_client_secret:
            return OctKey.import_key(client.client_secret)
        return self.provider.rogue_key if self.provider.sign_with_rogue_key else self.provider.key

    def get_client_algorithm(self, client):
        return "HS256" if self.provider.sign_with_client_secret else "RS256"

    def get_client_claims(self, client):
        return {"iss": self.provider.issuer, "aud": [client.get_client_id()]}

    def get_encode_header(self, client):
        # the rogue key claims the real key's id
        return {"alg": self.get_client_algorithm(client), "kid": self.provider.key.kid}

    def generate_user_info(self, user: Person, scope):
        return UserInfo(user.claims(scope))


class OidcProvider:
    def __init__(self, client_id: str = "kx-test-client", client_secret: str | None = None,
                 redirect_uris: list[str] | None = None):
        self.client = Client(client_id, client_secret or secrets.token_urlsafe(24), list(redirect_uris or []))
        self.key = RSAKey.generate_key(2048, parameters={"kid": secrets.token_hex(6), "use": "sig", "alg": "RS256"})
        self.rogue_key = RSAKey.generate_key(2048)
        self.person: Person | None = None
        self.refuse = False
        self.wrong_nonce: str | None = None
        self.sign_with_rogue_key = False
        self.sign_with_client_secret = False
        self.codes: dict[str, Code] = {}
        self.authorisations: list[dict] = []
        self.app = self._app()
        self._server = make_server("127.0.0.1", 0, self.app, threaded=True)
        self.issuer = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, name="oidc-provider", daemon=True)

    def settings(self) -> dict[str, str]:
        """The KX_OIDC_* settings that point kx at this provider."""
        return {"KX_OIDC_ISSUER": self.issuer, "KX_OIDC_CLIENT_ID": self.client.client_id,
                "KX_OIDC_CLIENT_SECRET": self.client.client_secret}

    def start(self) -> OidcProvider:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def __enter__(self):
        return self.start()

    def __exit__(self, *_exc):
        self.stop()

    def _app(self) -> Flask:
        app = Flask("oidc_provider")
        server = AuthorizationServer(app, query_client=self._query_client, save_token=lambda token, request: None)
        server.provider = self
        server.register_grant(_CodeGrant, [_PkceS256Required(), _IdTokens(self)])

        @app.get("/.well-known/openid-configuration")
        def discovery():
            return jsonify({
                "issuer": self.issuer, "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token", "jwks_uri": f"{self.issuer}/jwks",
                "response_types_supported": ["code"], "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256", "HS256"] if self.sign_with_client_secret else ["RS256"],
                "scopes_supported": list(SCOPES),
                "token_endpoint_auth_methods_supported": ["client_secret_basic"],
                "code_challenge_methods_supported": ["S256"],
                "claims_supported": ["sub", "email", "email_verified", "name"]})

        @app.get("/jwks")
        def jwks():
            return jsonify(KeySet([self.key]).as_dict(private=False))

        @app.get("/authorize")
        def authorize():
            self.authorisations.append(request.args.to_dict())
            try:
                grant = server.get_consent_grant(end_user=self.person)
            except OAuth2Error as error:
                return server.handle_error_response(None, error)
            granted = None if self.refuse else self.person
            return server.create_authorization_response(grant=grant, grant_user=granted)

        @app.post("/token")
        def token():
            return server.create_token_response()

        return app

    def _query_client(self, client_id):
        return self.client if client_id == self.client.client_id else None
