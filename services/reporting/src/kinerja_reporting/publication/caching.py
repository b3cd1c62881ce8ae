"""Published results are cacheable: a Cache-Control max-age and an ETag, and 304 Not Modified
when the client's If-None-Match names the current one (RFC 9110 §8.8.3, §13.1.2)."""

from __future__ import annotations

import hashlib
from typing import Any

from fastapi import Request, Response
from pydantic import BaseModel

#: What a route declares for the 304 it may answer.
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not Modified: the ETag in If-None-Match is current"}
}


def entity_tag(content: bytes) -> str:
    """A strong ETag of a representation: the start of its SHA-256, quoted."""
    return f'"{hashlib.sha256(content).hexdigest()[:32]}"'


def matches(if_none_match: str | None, etag: str) -> bool:
    """Whether an If-None-Match header names this ETag (weak comparison) or is `*`."""
    if if_none_match is None:
        return False
    for candidate in if_none_match.split(","):
        tag = candidate.strip()
        if tag == "*" or tag.removeprefix("W/") == etag:
            return True
    return False


def cacheable_json(request: Request, body: BaseModel, *, max_age: int) -> Response:
    """The JSON body with its ETag and Cache-Control, or a bodiless 304 when the client's
    copy is current."""
    content = body.model_dump_json().encode()
    etag = entity_tag(content)
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={max_age}"}
    if matches(request.headers.get("if-none-match"), etag):
        return Response(status_code=304, headers=headers)
    return Response(content, media_type="application/json", headers=headers)
