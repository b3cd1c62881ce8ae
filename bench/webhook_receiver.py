"""The receiver of the webhook delivery benchmark: answers every POST with 204, nothing else.

Served by uvicorn in a process of its own: `uvicorn webhook_receiver:app` from bench/.
"""

from __future__ import annotations

from typing import Any


async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] != "http":
        return
    more = True
    while more:
        message = await receive()
        more = message.get("more_body", False)
    await send({"type": "http.response.start", "status": 204, "headers": []})
    await send({"type": "http.response.body", "body": b""})
