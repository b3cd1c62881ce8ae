"""Refuse a request whose body is over the limit with a 413 problem, reading no further.

A declared Content-Length over the limit is refused before anything reads the body, so no
route runs. A body without one (chunked) is counted as the app reads it; the read that passes
the limit raises `PayloadTooLarge` (a 413 problem), and nothing after it is read. The gateway
and every service (`create_service_app`) use it; a path may have a limit of its own (the
appraisal service's imports).

Starlette's own `RequestBodyLimitMiddleware` (FastAPI's `max_body_size`) counts the same way
but answers text/plain, replacing even a problem response, and refuses a declared body only
when the response starts, after a route that ignores its body has run and committed.
"""

from __future__ import annotations

from collections.abc import Mapping

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from kinerja_shared.problems import PayloadTooLarge, payload_too_large_response


def limit_for(path: str, limit: int, limits: Mapping[str, int] | None = None) -> int:
    """The body limit of a request path: that of the longest prefix in `limits` it starts
    with, else `limit`."""
    prefixes = sorted((limits or {}).items(), key=lambda item: -len(item[0]))
    return next((own for prefix, own in prefixes if path.startswith(prefix)), limit)


class BodyLimitMiddleware:
    """413 problem+json for a body over `limit` bytes, or over the limit of the longest path
    prefix in `limits` that the request's path starts with."""

    def __init__(
        self, app: ASGIApp, *, limit: int, limits: Mapping[str, int] | None = None
    ) -> None:
        self.app = app
        self.limit = limit
        self.limits = dict(limits or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        limit = limit_for(scope["path"], self.limit, self.limits)
        declared = next((v for k, v in scope["headers"] if k == b"content-length"), b"")
        if declared.isdigit() and int(declared) > limit:
            refusal = PayloadTooLarge(
                limit, f"the request body is {int(declared)} bytes; the limit is {limit}"
            )
            await payload_too_large_response(Request(scope), refusal)(scope, receive, send)
            return
        received = 0
        started = False

        async def counted() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise PayloadTooLarge(limit)
            return message

        async def watched(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counted, watched)
        except PayloadTooLarge as exc:
            # Read where no exception handler catches it (e.g. by another middleware).
            if started:
                raise
            await payload_too_large_response(Request(scope), exc)(scope, receive, send)
