"""Bearer-token identity: verification against a JWKS, roles, and FastAPI deps.

The gateway verifies every token and forwards it; each service verifies it again with the
same verifier and decides rights itself, so the gateway is not the only line of defence.
Tokens are signed asymmetrically by their issuer (the city's OIDC provider, or the gateway's
token endpoint) and verified with public keys only (kinerja_shared.token_keys), so no service
can mint one; their lifetime (`exp - iat`) is bounded by KINERJA_AUTH_MAX_TOKEN_LIFETIME_SECONDS.
"""

from __future__ import annotations

import functools
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Annotated, Any

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from kinerja_shared.environment import current_environment
from kinerja_shared.gateway_assertion import token_header
from kinerja_shared.problems import NotAuthenticated, NotPermitted
from kinerja_shared.settings import DEV_TOKEN_PRIVATE_KEY, AuthSettings
from kinerja_shared.token_keys import TokenSigner, WeakKeyError, load_jwks, usable_key


class Role(StrEnum):
    """Who the caller is to the system."""

    CITIZEN = "citizen"
    EMPLOYEE = "employee"
    SUPERVISOR = "supervisor"
    UNIT_HEAD = "unit_head"
    BKPSDM_ADMIN = "bkpsdm_admin"
    ANALYST = "analyst"
    EXTERNAL_SYSTEM = "external_system"
    #: Runs the system: reads the details of the health checks (no business data).
    OPERATOR = "operator"


@dataclass(frozen=True)
class Identity:
    """A verified caller."""

    subject: str
    roles: frozenset[str] = frozenset()
    scopes: frozenset[str] = frozenset()
    employee_id: str | None = None
    unit_code: str | None = None
    client_id: str | None = None
    claims: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def has_role(self, *roles: str) -> bool:
        """Whether the caller holds any of these roles."""
        return any(r in self.roles for r in roles)

    def has_scope(self, scope: str) -> bool:
        """Whether the caller's token grants this OAuth2 scope."""
        return scope in self.scopes

    def require_role(self, *roles: str) -> None:
        """Raise 403 unless the caller holds one of the roles."""
        if not self.has_role(*roles):
            raise NotPermitted(f"this action needs one of the roles: {', '.join(roles)}")


#: Verified tokens remembered per verifier (a bounded number; the oldest are dropped first).
VERIFIED_TOKENS_KEPT = 4096


class TokenVerifier:
    """Verifies bearer JWTs against the public keys of a JWKS: those of KINERJA_AUTH_JWKS and,
    for a key id not among them, those the issuer publishes at KINERJA_AUTH_JWKS_URL (fetched
    once and cached; a key too weak is refused like an unknown one).

    A token that verified is remembered by its exact text until it expires: signature,
    issuer, audience, lifetime, `iat` and `nbf` cannot turn invalid as time goes on, only
    `exp` can, so a repeat of the same token is answered without decoding it again (a caller
    sends the same token with every request). With a JWKS URL a token is re-verified at least
    every `jwks_cache_seconds`, as often as the key set is fetched again. `clock` is the wall
    clock in seconds since the epoch (what `exp` counts in); tests inject one.
    """

    def __init__(self, settings: AuthSettings, *, clock: Callable[[], float] = time.time) -> None:
        self.settings = settings
        self._clock = clock
        self._keys: dict[str, jwt.PyJWK] = load_jwks(settings.jwks) if settings.jwks else {}
        self._jwks: jwt.PyJWKClient | None = None
        if settings.jwks_url:
            self._jwks = jwt.PyJWKClient(
                settings.jwks_url, cache_keys=True, lifespan=settings.jwks_cache_seconds
            )
        # token -> (identity, remembered until); dicts keep insertion order (oldest first).
        self._verified: dict[str, tuple[Identity, float]] = {}
        self._verified_lock = threading.Lock()  # verify() may run in worker threads

    def cached(self, token: str) -> Identity | None:
        """The identity of a token verified before and not expired since, else None.

        An expired one is a 401 as `verify` would give (PyJWT: expired once `exp <= now`).
        """
        entry = self._verified.get(token)
        if entry is None:
            return None
        identity, until = entry
        now = self._clock()
        if now < until:
            return identity
        with self._verified_lock:
            self._verified.pop(token, None)
        if now >= int(identity.claims["exp"]):
            raise NotAuthenticated("the token has expired")
        return None  # remembered long enough (JWKS): verify again

    def verify(self, token: str) -> Identity:
        """Decode and check signature, expiry, lifetime, issuer and audience."""
        identity = self.cached(token)
        if identity is None:
            identity = self._decode(token)
            self._remember(token, identity)
        return identity

    def _remember(self, token: str, identity: Identity) -> None:
        until = float(int(identity.claims["exp"]))
        if self._jwks is not None:
            until = min(until, self._clock() + self.settings.jwks_cache_seconds)
        with self._verified_lock:
            while len(self._verified) >= VERIFIED_TOKENS_KEPT:
                del self._verified[next(iter(self._verified))]
            self._verified[token] = (identity, until)

    def _signing_key(self, token: str) -> jwt.PyJWK:
        header = token_header(token)
        algorithm = header.get("alg")
        if algorithm not in self.settings.algorithms:
            raise NotAuthenticated(
                f"the token is not valid: it is signed with {algorithm}; accepted are "
                f"{', '.join(self.settings.algorithms)}"
            )
        kid = header.get("kid")
        key = self._keys.get(kid) if isinstance(kid, str) else None
        if key is None and self._jwks is not None and isinstance(kid, str):
            key = usable_key(self._jwks.get_signing_key(kid))
        if key is None:
            raise NotAuthenticated("the token is not valid: it is signed by a key not trusted")
        return key

    def _decode(self, token: str) -> Identity:
        try:
            key = self._signing_key(token)
            claims = jwt.decode(
                token,
                key.key,
                algorithms=[key.algorithm_name],
                audience=self.settings.audience,
                issuer=self.settings.issuer,
                options={"require": ["exp", "sub", "iat"]},
            )
        except jwt.ExpiredSignatureError as exc:
            raise NotAuthenticated("the token has expired") from exc
        except WeakKeyError as exc:
            raise NotAuthenticated(f"the token is signed by a key too weak: {exc}") from exc
        except jwt.PyJWTError as exc:
            raise NotAuthenticated(f"the token is not valid: {exc}") from exc
        lifetime = int(claims["exp"]) - int(claims["iat"])
        longest = self.settings.max_token_lifetime_seconds
        if lifetime > longest:
            raise NotAuthenticated(
                f"the token's lifetime (exp - iat) is {lifetime} s; at most {longest} s are "
                "accepted"
            )
        return identity_from_claims(claims)


def identity_from_claims(claims: dict[str, Any]) -> Identity:
    """Build an Identity from verified claims (`roles`, `scope`, `employee_id`, `unit`)."""
    roles = claims.get("roles") or []
    scope = claims.get("scope") or ""
    return Identity(
        subject=str(claims["sub"]),
        roles=frozenset(str(r) for r in roles),
        scopes=frozenset(scope.split()),
        employee_id=claims.get("employee_id"),
        unit_code=claims.get("unit"),
        client_id=claims.get("client_id") or claims.get("azp"),
        claims=claims,
    )


def issue_token(
    settings: AuthSettings,
    *,
    subject: str,
    roles: Iterable[str] = (),
    scopes: Iterable[str] = (),
    employee_id: str | None = None,
    unit_code: str | None = None,
    client_id: str | None = None,
    ttl_seconds: int = 3600,
    now: float | None = None,
    signer: TokenSigner | None = None,
) -> str:
    """Sign a token for `settings`' issuer and audience: with `signer` (the gateway's token
    endpoint), else with the development key (tests, the development `kinerja-gateway token`),
    which RuntimeError refuses in production."""
    issued = int(now if now is not None else time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": issued,
        "exp": issued + ttl_seconds,
        "roles": sorted(set(roles)),
    }
    if scopes:
        claims["scope"] = " ".join(sorted(set(scopes)))
    if employee_id:
        claims["employee_id"] = employee_id
    if unit_code:
        claims["unit"] = unit_code
    if client_id:
        claims["client_id"] = client_id
    return (signer or development_signer()).sign(claims)


def development_signer() -> TokenSigner:
    """The signer of the development key (DEV_TOKEN_PRIVATE_KEY), in development and test only
    (KINERJA_ENVIRONMENT); RuntimeError in production."""
    environment = current_environment()
    if not environment.allows_development_credentials:
        raise RuntimeError(
            "the development signing key signs tokens in development and test only, "
            f"not in {environment}"
        )
    return _development_signer()


@functools.cache
def _development_signer() -> TokenSigner:
    return TokenSigner(DEV_TOKEN_PRIVATE_KEY)


_bearer = HTTPBearer(auto_error=False, description="A JWT from the OIDC issuer or /api/v1/token")


def _verifier(request: Request) -> TokenVerifier:
    verifier: TokenVerifier = request.app.state.verifier
    return verifier


async def optional_identity(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Identity | None:
    """The caller's identity if a token was sent; a bad token is still a 401."""
    if credentials is None:
        return None
    return _verifier(request).verify(credentials.credentials)


async def current_identity(
    identity: Annotated[Identity | None, Depends(optional_identity)],
) -> Identity:
    """The caller's identity; 401 without a token."""
    if identity is None:
        raise NotAuthenticated("a bearer token is required", headers={"WWW-Authenticate": "Bearer"})
    return identity


CurrentIdentity = Annotated[Identity, Depends(current_identity)]
OptionalIdentity = Annotated[Identity | None, Depends(optional_identity)]
