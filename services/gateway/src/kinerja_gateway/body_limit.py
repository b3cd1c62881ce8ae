"""Refuse a request whose declared body is over the limit (413) before anything reads it.

Bodies without a Content-Length (chunked) are counted while the proxy streams them.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from kinerja_shared.problems import problem_response


class DeclaredBodyLimitMiddleware:
    """413 problem+json when Content-Length exceeds `limit` bytes."""

    def __init__(self, app: ASGIApp, *, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
            if declared.isdigit() and int(declared) > self.limit:
                response = problem_response(
                    Request(scope),
                    status=413,
                    title="Payload too large",
                    slug="payload-too-large",
                    detail=f"the request body is {int(declared)} bytes; the limit is {self.limit}",
                    extra={"limit_bytes": self.limit},
                )
                await response(scope, receive, send)
                return
        await self.app(scope, receive, send)
