"""Security headers on every response (kept when a service already set them)."""

from __future__ import annotations

from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: A JSON API needs no scripts, styles, frames or anything else.
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
#: The interactive docs page loads Swagger UI from its CDN.
DOCS_CSP = (
    "default-src 'none'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "img-src 'self' data: https://fastapi.tiangolo.com; connect-src 'self'; "
    "frame-ancestors 'none'; base-uri 'none'"
)


class SecurityHeadersMiddleware:
    """Adds nosniff, DENY framing, no-referrer, a CSP and (behind TLS) HSTS."""

    def __init__(
        self, app: ASGIApp, *, hsts_max_age: int | None, docs_paths: frozenset[str]
    ) -> None:
        self.app = app
        self.hsts_max_age = hsts_max_age
        self.docs_paths = docs_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        csp = DOCS_CSP if scope.get("path") in self.docs_paths else API_CSP
        wanted: list[tuple[bytes, bytes]] = [
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
            (b"content-security-policy", csp.encode()),
        ]
        if self.hsts_max_age is not None:
            wanted.append((b"strict-transport-security", f"max-age={self.hsts_max_age}".encode()))

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {k.lower() for k, _ in headers}
                headers.extend((k, v) for k, v in wanted if k not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)
