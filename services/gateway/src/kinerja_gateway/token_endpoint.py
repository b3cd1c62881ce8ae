"""OAuth2 client credentials (RFC 6749 §4.4) for other government systems."""

from __future__ import annotations

import asyncio
import base64
import binascii
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from kinerja_gateway.components import Components
from kinerja_gateway.routing import API_PREFIX
from kinerja_gateway.secrets_hashing import verify_secret
from kinerja_gateway.settings import OAuthClient
from kinerja_shared.auth import Role, issue_token
from kinerja_shared.problems import (
    DomainError,
    InvalidInput,
    NotAuthenticated,
    ServiceUnavailable,
    problem_responses,
)

router = APIRouter(tags=["auth"])


class OAuthError(DomainError):
    """A refused token request (400), with the RFC 6749 `error` code in the problem."""

    status, slug, title = 400, "oauth-error", "Token request refused"


class TokenResponse(BaseModel):
    """An access token for an external system."""

    access_token: str
    token_type: str = "Bearer"  # noqa: S105
    expires_in: int
    scope: str


def _basic_credentials(request: Request) -> tuple[str, str] | None:
    scheme, _, value = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        client_id, sep, secret = base64.b64decode(value, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError) as exc:
        raise OAuthError(
            "the Basic credentials are not base64 'id:secret'",
            field="header.authorization",
            extra={"error": "invalid_request"},
        ) from exc
    return (client_id, secret) if sep else None


def _refuse_client() -> NotAuthenticated:
    return NotAuthenticated(
        "unknown client or wrong secret",
        headers={"WWW-Authenticate": 'Basic realm="kinerja"'},
        extra={"error": "invalid_client"},
    )


@router.post(
    f"{API_PREFIX}/token",
    summary="Get an access token (OAuth2 client credentials)",
    response_model=TokenResponse,
    responses=problem_responses(400, 401, 429),
)
async def token(
    request: Request,
    components: Components,
    grant_type: Annotated[str | None, Form()] = None,
    client_id: Annotated[str | None, Form()] = None,
    client_secret: Annotated[str | None, Form()] = None,
    scope: Annotated[str | None, Form()] = None,
) -> JSONResponse:
    """Exchange a registered client's id and secret (form fields or HTTP Basic) for a JWT with
    role `external_system` and the requested scopes (all the client's scopes when none asked)."""
    components.limit_address(components.client_address(request))
    if grant_type != "client_credentials":
        raise OAuthError(
            "grant_type must be client_credentials",
            field="body.grant_type",
            extra={"error": "unsupported_grant_type" if grant_type else "invalid_request"},
        )
    basic = _basic_credentials(request)
    if basic is not None:
        client_id, client_secret = basic
    if not client_id or not client_secret:
        raise InvalidInput(
            "client_id and client_secret are required",
            field="body.client_id" if not client_id else "body.client_secret",
            extra={"error": "invalid_request"},
        )
    components.limit_key(f"token:{client_id}")
    client: OAuthClient | None = components.settings.oauth_clients.get(client_id)
    # The same PBKDF2 work for an unknown id as for a known one: timing tells no ids apart.
    stored = client.secret_hash if client is not None else components.unknown_client_hash
    if not await asyncio.to_thread(verify_secret, client_secret, stored) or client is None:
        raise _refuse_client()
    requested = set((scope or "").split())
    refused = sorted(requested - set(client.scopes))
    if refused:
        raise OAuthError(
            f"scopes not allowed for this client: {' '.join(refused)}",
            field="body.scope",
            extra={"error": "invalid_scope", "allowed_scopes": sorted(client.scopes)},
        )
    granted = sorted(requested or set(client.scopes))
    ttl = components.settings.token_ttl_seconds
    if components.token_signer is None:  # settings refuse clients without a key: never here
        raise ServiceUnavailable("the token endpoint has no signing key")
    access_token = issue_token(
        components.settings.auth,
        subject=f"client:{client_id}",
        roles=[Role.EXTERNAL_SYSTEM],
        scopes=granted,
        client_id=client_id,
        ttl_seconds=ttl,
        signer=components.token_signer,
    )
    body: dict[str, Any] = TokenResponse(
        access_token=access_token, expires_in=ttl, scope=" ".join(granted)
    ).model_dump()
    return JSONResponse(body, headers={"Cache-Control": "no-store", "Pragma": "no-cache"})
