"""Gateway assertions: proof, on every request a service receives, that the gateway sent it.

The gateway signs a short-lived JWT (EdDSA, Ed25519) for each request it sends upstream and
puts it in the `X-Gateway-Assertion` header; each service verifies it before anything else
(`kinerja_shared.middleware.GatewayAssertionMiddleware`, installed by `create_service_app`)
and refuses a request without a valid one (401), except its probes. The gateway alone holds
the private key; services hold public keys only (`KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS`), so
a compromised service cannot mint assertions for another.

An assertion is bound to one request: `aud` is the target service, `method` and `target`
(path and query, exactly as sent) must be the request's, and it expires within seconds; a
captured one cannot be spent on another route, method or service. It also carries what the
gateway established about the caller: the client address it resolved through its trusted
proxies (`ClientAddress`; X-Forwarded-For is the caller's own claim) and the request id.
"""

from __future__ import annotations

import base64
import binascii
import json
import time
import uuid
from collections.abc import Callable, Generator
from dataclasses import dataclass
from typing import Annotated, Any

import httpx
import jwt
from fastapi import Depends, Request
from jwt.utils import base64url_encode

from kinerja_shared.context import request_id_var
from kinerja_shared.gateway_keys import key_id, load_private_key, load_public_keys
from kinerja_shared.problems import NotAuthenticated

ASSERTION_HEADER = "x-gateway-assertion"
ISSUER = "kinerja-gateway"
ALGORITHM = "EdDSA"
#: httpx request extension naming the caller's address for `GatewayAssertionAuth`.
CLIENT_ADDRESS_EXTENSION = "kinerja.client_address"
#: Where the middleware leaves the verified assertion in the ASGI scope.
SCOPE_KEY = "kinerja.gateway_assertion"
_REQUIRED = ["iss", "aud", "iat", "exp", "jti"]
_NOT_FROM_GATEWAY = "this service answers only requests sent through the gateway"

Clock = Callable[[], float]


@dataclass(frozen=True)
class GatewayAssertion:
    """What a verified assertion says about the request it came with."""

    service: str
    method: str
    target: str
    client_address: str | None
    request_id: str | None
    assertion_id: str
    expires_at: int


def request_target(raw_path: bytes, query_string: bytes) -> str:
    """The request target an assertion names: the path and query as sent (still encoded)."""
    target = raw_path + (b"?" + query_string if query_string else b"")
    return target.decode("latin-1")


class AssertionSigner:
    """Signs assertions with the gateway's private key (loaded once)."""

    def __init__(self, private_key_pem: str, *, ttl_seconds: float, clock: Clock = time.time):
        self._key = load_private_key(private_key_pem)
        self._headers = {"kid": key_id(self._key.public_key())}
        # The JWS header is the same for every assertion: encoded once, as PyJWT encodes it.
        header = {"typ": "JWT", "alg": ALGORITHM, **self._headers}
        self._header_segment = base64url_encode(
            json.dumps(header, separators=(",", ":"), sort_keys=True).encode()
        )
        self.ttl_seconds = ttl_seconds
        self._clock = clock

    def sign(
        self,
        *,
        service: str,
        method: str,
        target: str,
        client_address: str | None,
        request_id: str | None,
    ) -> str:
        """An assertion for one request to `service`: the JWT `jwt.encode` makes of these
        claims (the same bytes; Ed25519 signatures are deterministic), built without its
        per-call header and argument handling."""
        now = self._clock()
        claims: dict[str, Any] = {
            "iss": ISSUER,
            "aud": service,
            "iat": int(now),
            "exp": int(now + self.ttl_seconds),
            "jti": uuid.uuid4().hex,
            "method": method.upper(),
            "target": target,
            "client": client_address,
            "request_id": request_id,
        }
        payload = base64url_encode(json.dumps(claims, separators=(",", ":")).encode())
        signing_input = self._header_segment + b"." + payload
        return (signing_input + b"." + base64url_encode(self._key.sign(signing_input))).decode()


class AssertionVerifier:
    """Verifies assertions meant for one service against the accepted public keys."""

    def __init__(self, public_keys_pem: str, *, service: str, leeway_seconds: float) -> None:
        self._keys = load_public_keys(public_keys_pem)
        self.service = service
        self.leeway_seconds = leeway_seconds

    def verify(self, token: str | None, *, method: str, target: str) -> GatewayAssertion:
        """The assertion of a request, checked; NotAuthenticated (401) if it is missing, not
        signed by an accepted key, expired, for another service or for another request."""
        if not token:
            raise NotAuthenticated(_NOT_FROM_GATEWAY)
        try:
            key = self._keys.get(_key_id_of(token))
            if key is None:
                raise NotAuthenticated(
                    f"{_NOT_FROM_GATEWAY}: the assertion is signed by a key it does not accept"
                )
            claims = jwt.decode(
                token,
                key,
                algorithms=[ALGORITHM],
                audience=self.service,
                issuer=ISSUER,
                leeway=self.leeway_seconds,
                options={"require": _REQUIRED},
            )
        except jwt.ExpiredSignatureError as exc:
            raise NotAuthenticated(f"{_NOT_FROM_GATEWAY}: the assertion has expired") from exc
        except jwt.PyJWTError as exc:
            detail = f"{_NOT_FROM_GATEWAY}: the assertion is invalid ({exc})"
            raise NotAuthenticated(detail) from exc
        if claims.get("method") != method.upper() or claims.get("target") != target:
            raise NotAuthenticated(f"{_NOT_FROM_GATEWAY}: the assertion is for another request")
        client, request_id = claims.get("client"), claims.get("request_id")
        return GatewayAssertion(
            service=self.service,
            method=method.upper(),
            target=target,
            client_address=client if isinstance(client, str) else None,
            request_id=request_id if isinstance(request_id, str) else None,
            assertion_id=str(claims["jti"]),
            expires_at=int(claims["exp"]),
        )


def token_header(token: str) -> dict[str, Any]:
    """The header of a JWT, read without PyJWT: `jwt.get_unverified_header` checks the whole
    token character by character, which `jwt.decode` then does again (together about half of
    a verification's CPU). Empty when it is JSON but not an object; jwt.DecodeError when it
    is not JSON."""
    segment = token.partition(".")[0]
    try:
        header = json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))
    except (ValueError, binascii.Error, RecursionError) as exc:
        raise jwt.DecodeError(f"Invalid header: {type(exc).__name__}") from exc
    return header if isinstance(header, dict) else {}


def _key_id_of(token: str) -> str:
    """The `kid` of a token's header ("" when it names none)."""
    kid = token_header(token).get("kid")
    return kid if isinstance(kid, str) else ""


class GatewayAssertionAuth(httpx.Auth):
    """httpx authentication that signs each request to one service as the gateway: the
    gateway's own calls (dashboard parts, merged OpenAPI, readiness), and tests or benchmarks
    calling a service directly. The caller's address is the request's
    `CLIENT_ADDRESS_EXTENSION` extension, else `client_address`."""

    def __init__(
        self, signer: AssertionSigner, *, service: str, client_address: str | None = None
    ) -> None:
        self.signer = signer
        self.service = service
        self.client_address = client_address

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers[ASSERTION_HEADER] = self.signer.sign(
            service=self.service,
            method=request.method,
            target=request.url.raw_path.decode("latin-1"),
            client_address=request.extensions.get(CLIENT_ADDRESS_EXTENSION, self.client_address),
            request_id=request.headers.get("x-request-id") or request_id_var.get(),
        )
        yield request


async def verified_client_address(request: Request) -> str | None:
    """The caller's address as the gateway resolved it through its trusted proxies (never
    X-Forwarded-For: a caller writes that himself). None when the gateway knew no address."""
    assertion = request.scope.get(SCOPE_KEY)
    if not isinstance(assertion, GatewayAssertion):
        raise NotAuthenticated(_NOT_FROM_GATEWAY)  # an app without the middleware
    return assertion.client_address


ClientAddress = Annotated[str | None, Depends(verified_client_address)]
