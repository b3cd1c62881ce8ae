"""Who is calling (bearer token or registered app key) and whether they may reach a route.

The gateway's check is coarse: staff roles may reach every service, an external system
needs the scope of the service (`appraisal:read`, `reports:read`, `feedback:write`,
`webhooks:manage`, ...), a citizen only the public routes. Each service still checks rights itself.
"""

from __future__ import annotations

import asyncio
import hmac
from dataclasses import dataclass

from fastapi import Request

from kinerja_gateway.secrets_hashing import app_key_digest
from kinerja_shared.auth import Identity, Role, TokenVerifier
from kinerja_shared.problems import NotAuthenticated, NotPermitted

APP_KEY_HEADER = "x-app-key"
STAFF_ROLES = frozenset(
    {Role.EMPLOYEE, Role.SUPERVISOR, Role.UNIT_HEAD, Role.BKPSDM_ADMIN, Role.ANALYST}
)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
#: Scope families whose every method needs one scope: managing webhooks is reading and
#: writing one's own subscriptions alike.
SINGLE_SCOPES = {"webhooks": "webhooks:manage"}


@dataclass(frozen=True)
class Caller:
    """An authenticated caller: a verified token, an anonymous user of a registered app, or
    (open routes only) an anonymous caller with neither."""

    identity: Identity | None = None
    token: str | None = None
    app: str | None = None

    @property
    def client_key(self) -> str:
        """The key of the caller's per-client rate limit (an app's anonymous users are
        counted per address too: `GatewayComponents.limit_client`)."""
        if self.identity is not None:
            if self.identity.client_id:
                return f"client:{self.identity.client_id}"
            return f"sub:{self.identity.subject}"
        if self.app is None:
            return "anonymous"
        return f"app:{self.app}"


def _bearer_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    if not header:
        return None
    if scheme.lower() != "bearer" or not token.strip():
        raise NotAuthenticated(
            "the Authorization header must be 'Bearer <token>'",
            headers={"WWW-Authenticate": 'Bearer error="invalid_request"'},
        )
    return token.strip()


def _app_name(request: Request, app_keys: dict[str, str]) -> str | None:
    key = request.headers.get(APP_KEY_HEADER)
    if key is None:
        return None
    digest = app_key_digest(key)
    for name, registered in app_keys.items():
        if hmac.compare_digest(digest, registered):
            return name
    raise NotAuthenticated(
        "the X-App-Key is not registered",
        headers={"WWW-Authenticate": "Bearer"},
        extra={"header": "X-App-Key"},
    )


async def _verify(verifier: TokenVerifier, token: str) -> Identity:
    identity = verifier.cached(token)
    if identity is not None:
        return identity
    if verifier.settings.jwks_url:
        # PyJWKClient fetches the key set with blocking I/O on a cache miss (e.g. after a
        # key rotation): keep that off the event loop.
        return await asyncio.to_thread(verifier.verify, token)
    return verifier.verify(token)


async def authenticate(
    request: Request,
    *,
    verifier: TokenVerifier,
    app_keys: dict[str, str],
    public: bool,
    open_route: bool = False,
) -> Caller:
    """Verify the caller's token (any route) or app key (public routes only); else 401, but
    on an open route a caller with neither is let through anonymously."""
    token = _bearer_token(request)
    if token is not None:
        try:
            identity = await _verify(verifier, token)
        except NotAuthenticated as exc:
            raise NotAuthenticated(
                exc.detail,
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            ) from exc
        return Caller(identity=identity, token=token)
    if public:
        app = _app_name(request, app_keys)
        if app is not None or open_route:
            return Caller(app=app)
        raise NotAuthenticated(
            "this route needs a bearer token or a registered X-App-Key",
            headers={"WWW-Authenticate": "Bearer"},
        )
    raise NotAuthenticated("a bearer token is required", headers={"WWW-Authenticate": "Bearer"})


def required_scope(scope_family: str, method: str) -> str:
    """The scope an external system needs for this method on a service."""
    if scope_family in SINGLE_SCOPES:
        return SINGLE_SCOPES[scope_family]
    return f"{scope_family}:{'read' if method.upper() in READ_METHODS else 'write'}"


def authorise(caller: Caller, *, scope_family: str, method: str, public: bool) -> None:
    """Refuse (403) callers whose role or scopes cannot reach this route at all."""
    if public or caller.identity is None:
        # An app-key caller only ever gets here for a public route (authenticate saw to it).
        return
    identity = caller.identity
    if identity.has_role(*STAFF_ROLES):
        return
    if identity.has_role(Role.EXTERNAL_SYSTEM):
        scope = required_scope(scope_family, method)
        if identity.has_scope(scope):
            return
        raise NotPermitted(
            f"this route needs the scope {scope}",
            headers={"WWW-Authenticate": f'Bearer error="insufficient_scope", scope="{scope}"'},
            extra={"required_scope": scope},
        )
    if identity.has_role(Role.CITIZEN):
        raise NotPermitted("citizens may call only the public feedback routes")
    raise NotPermitted("the token carries no role that may call this API")
