"""Sending one delivery: a signed POST of the CloudEvent to the target, and what came of it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import httpcore
import httpx

from kinerja_shared.environment import Environment
from kinerja_webhooks.deliveries.network import TargetRefused, VettingBackend
from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import signed_headers

CONTENT_TYPE = "application/cloudevents+json"
USER_AGENT = "kinerja-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    """What one attempt came to: delivered (a 2xx), or the response code and/or error."""

    delivered: bool
    response_code: int | None = None
    error: str | None = None


class Sender:
    """An HTTP client that signs, sends and connects only where the rules allow."""

    def __init__(self, settings: WebhooksSettings) -> None:
        backend = VettingBackend(
            production=settings.environment is Environment.PRODUCTION,
            allowed=settings.allowed_networks(),
        )
        transport = httpx.AsyncHTTPTransport(trust_env=False)
        # httpx takes no network backend of its own: the pool it built is replaced by the
        # same pool over the vetting backend (no proxies: trust_env is off).
        transport._pool = httpcore.AsyncConnectionPool(
            ssl_context=httpx.create_ssl_context(trust_env=False),
            max_connections=100,
            max_keepalive_connections=20,
            keepalive_expiry=30,
            network_backend=backend,
        )
        self.client = httpx.AsyncClient(
            transport=transport,
            timeout=settings.delivery_timeout_seconds,
            follow_redirects=False,
            headers={"user-agent": USER_AGENT},
        )

    async def send(
        self,
        *,
        url: str,
        secret: str,
        message_id: str,
        body: str,
        at: datetime,
        previous_secret: str | None = None,
    ) -> Outcome:
        """POST one signed delivery (also with `previous_secret` during a rotation's
        overlap); never raises for the receiver's faults."""
        headers = {
            "content-type": CONTENT_TYPE,
            **signed_headers(
                secret, message_id=message_id, at=at, body=body, previous=previous_secret
            ),
        }
        try:
            response = await self.client.post(url, content=body.encode(), headers=headers)
        except TargetRefused as exc:
            return Outcome(delivered=False, error=f"refused: {exc}"[:500])
        except httpx.HTTPError as exc:
            return Outcome(delivered=False, error=f"{type(exc).__name__}: {exc}"[:500])
        await response.aclose()
        if 200 <= response.status_code < 300:
            return Outcome(delivered=True, response_code=response.status_code)
        return Outcome(
            delivered=False,
            response_code=response.status_code,
            error=f"HTTP {response.status_code}",
        )

    async def close(self) -> None:
        """Close the connections."""
        await self.client.aclose()
