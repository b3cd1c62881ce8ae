"""A tiny receiver for trying webhooks (`kinerja-webhooks listen`): it verifies each
delivery's Standard Webhooks signature with the library and prints what came.

A delivery signed with the secret answers 204 and is printed; anything else answers 401 and
the refusal is printed.
"""

from __future__ import annotations

import json
from collections.abc import Callable

from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route


def create_listener(secret: str, echo: Callable[[str], None] = print) -> Starlette:
    """The receiver's app: every POST, on any path, is checked and printed."""
    webhook = Webhook(secret)

    async def receive(request: Request) -> Response:
        body = await request.body()
        headers = dict(request.headers)
        try:
            event = webhook.verify(body, headers)
        except (WebhookVerificationError, ValueError) as exc:
            echo(f"401 refused {headers.get('webhook-id', '-')}: {exc}")
            return Response(status_code=401)
        echo(
            f"delivery {headers['webhook-id']}: {event.get('type')} {event.get('subject')}\n"
            + json.dumps(event, indent=2, sort_keys=True)
        )
        return Response(status_code=204)

    return Starlette(routes=[Route("/{path:path}", receive, methods=["POST"])])
