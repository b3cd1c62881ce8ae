"""/health/ready answers: up or down for anyone, the details only for an operator.

Probes (Kubernetes, compose, a load balancer) need only the status code. Which check failed,
internal addresses and error text would tell anyone who can reach the probe how the system
is built, so they are shown only to a caller whose bearer token carries one of the
health-detail roles (`KINERJA_HEALTH_DETAIL_ROLES`, default `operator`), as Spring Boot's
Actuator shows health details `when-authorized`. The same token works on the gateway (which
passes it on to the services) and on a service's own port; a missing, invalid or
non-operator token simply gets the short answer, never a 401.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse

from kinerja_shared.auth import TokenVerifier
from kinerja_shared.problems import NotAuthenticated


def shows_details(request: Request, verifier: TokenVerifier, roles: Iterable[str]) -> bool:
    """Whether the caller's bearer token verifies and carries one of `roles`."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return False
    try:
        identity = verifier.verify(token.strip())
    except NotAuthenticated:
        return False
    return identity.has_role(*roles)


def readiness_response(ready: bool, details: dict[str, Any] | None = None) -> JSONResponse:
    """200 `{"status": "up"}` or 503 `{"status": "down"}`, with the details when given."""
    body: dict[str, Any] = {"status": "up" if ready else "down", **(details or {})}
    return JSONResponse(body, status_code=200 if ready else 503)
