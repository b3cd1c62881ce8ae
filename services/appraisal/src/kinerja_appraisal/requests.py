"""The base of request bodies, and a guard against NUL characters anywhere in a request.

PostgreSQL cannot store U+0000 in text; refusing it up front keeps such input a clear 422
(on both databases) instead of a database error.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, model_validator
from starlette.responses import JSONResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from kinerja_shared.problems import PROBLEM_JSON


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class RequestModel(BaseModel):
    """A request body: unknown fields and NUL characters are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text may not contain NUL (U+0000) characters")
        return data


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
