"""ASGI middleware: a request id on every request, response and log line."""

from __future__ import annotations

import logging
import re
import time
import uuid
import weakref
from collections.abc import Callable
from typing import Any

from fastapi import Request
from fastapi.routing import iter_route_contexts
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kinerja_shared.context import request_id_var
from kinerja_shared.gateway_assertion import (
    ASSERTION_HEADER,
    SCOPE_KEY,
    AssertionVerifier,
    request_target,
)
from kinerja_shared.problems import (
    PROBLEM_JSON,
    FieldError,
    NotAuthenticated,
    problem_response,
)

log = logging.getLogger("kinerja.access")

REQUEST_ID_HEADER = "x-request-id"
#: Paths a service answers without a gateway assertion: the probes of its orchestrator.
PROBE_PATHS = frozenset({"/health", "/health/ready"})
_ASSERTION_HEADER = ASSERTION_HEADER.encode()
ASSERTION_FIELD = "header.X-Gateway-Assertion"
_VALID_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
#: Scope key where a route may name the path to log in place of its template (the gateway's
#: catch-all proxy names the public-route pattern a path matched).
LOGGED_PATH = "kinerja.logged_path"

_Templates = dict[Callable[..., Any], list[tuple[re.Pattern[str], str]]]
_templates_of_app: weakref.WeakKeyDictionary[Any, _Templates] = weakref.WeakKeyDictionary()


def _templates(app: Any) -> _Templates:
    found: _Templates = {}
    for context in iter_route_contexts(app.routes):
        template = context.path_format
        if context.endpoint is not None and template:
            found.setdefault(context.endpoint, []).append((context.path_regex, template))
    return found


def route_template(scope: Scope) -> str | None:
    """The path template of the route that served a request
    (`/api/v1/feedback/track/{tracking_code}`), None when no route matched.

    Routing leaves the endpoint in the scope, but not the full template: with FastAPI 0.165
    `scope["route"]` is the route as its router declared it, without the prefixes it was
    included under. So the app's routes are listed once (as its OpenAPI document lists them)
    and looked up by endpoint.
    """
    endpoint, app = scope.get("endpoint"), scope.get("app")
    if endpoint is None or app is None:
        return None
    table = _templates_of_app.get(app)
    if table is None or endpoint not in table:
        table = _templates(app)  # built once per app (again only if routes were added)
        table.setdefault(endpoint, [])
        _templates_of_app[app] = table
    candidates = table[endpoint]
    if len(candidates) == 1:
        return candidates[0][1]
    path = scope.get("path", "")
    return next((template for regex, template in candidates if regex.match(path)), None)


class RequestIdMiddleware:
    """Reuses a caller's well-formed X-Request-ID or makes one; logs one line per request
    (method, route template, status, duration)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == b"x-request-id"), ""
        )
        request_id = incoming if _VALID_ID.match(incoming) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        status = 500

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                message["headers"] = headers
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        finally:
            # Never the path as sent, nor its query: both may carry a citizen's tracking code.
            # The matched route's template instead (null when no route matched).
            log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    "path": scope.get(LOGGED_PATH) or route_template(scope),
                    "status": status,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 2),
                },
            )
        # Only when the app returned: an error on its way to the server keeps the id, so that
        # the server's own error line (written in this request's task) names the request too.
        request_id_var.reset(token)


class RefuseNul:
    """ASGI middleware: a path or query string with a NUL character is a 422 problem."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            query: bytes = scope.get("query_string", b"")
            if "\x00" in scope.get("path", "") or b"%00" in query or b"\x00" in query:
                response = JSONResponse(
                    {
                        "type": "https://kinerja.denpasar.go.id/problems/invalid-input",
                        "title": "Invalid input",
                        "status": 422,
                        "detail": "the path or query contains a NUL (U+0000) character",
                    },
                    status_code=422,
                    media_type=PROBLEM_JSON,
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)


class GatewayAssertionMiddleware:
    """ASGI middleware: a request without a valid gateway assertion is a 401 problem (the
    probes excepted); a verified assertion is left in the scope for `ClientAddress`."""

    def __init__(
        self, app: ASGIApp, *, verifier: AssertionVerifier, open_paths: frozenset[str] = PROBE_PATHS
    ) -> None:
        self.app = app
        self.verifier = verifier
        self.open_paths = open_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in self.open_paths:
            await self.app(scope, receive, send)
            return
        token = next(
            (v.decode("latin-1") for k, v in scope["headers"] if k == _ASSERTION_HEADER), None
        )
        raw_path: bytes = scope.get("raw_path") or scope["path"].encode()
        try:
            scope[SCOPE_KEY] = self.verifier.verify(
                token,
                method=scope["method"],
                target=request_target(raw_path, scope.get("query_string", b"")),
            )
        except NotAuthenticated as exc:
            response = problem_response(
                Request(scope),
                status=exc.status,
                title=exc.title,
                detail=exc.detail,
                slug=exc.slug,
                errors=[FieldError(field=ASSERTION_FIELD, detail=exc.detail)],
                headers={"WWW-Authenticate": "Gateway-Assertion"},
            )
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)
