"""The webhooks service: subscriptions of other systems, and signed delivery of events."""

from __future__ import annotations

from fastapi import FastAPI

from kinerja_shared.app import create_service_app
from kinerja_webhooks.routes import ROUTERS
from kinerja_webhooks.runtime import create_runtime
from kinerja_webhooks.settings import WebhooksSettings

PREFIX = "/api/v1/webhooks"


def create_app(settings: WebhooksSettings | None = None) -> FastAPI:
    """Build the webhooks app (tests pass their own settings)."""
    settings = settings or WebhooksSettings()
    return create_service_app(
        create_runtime(settings),
        title="Kinerja webhooks",
        description=(
            "Other government systems subscribe to events and receive them as signed HTTP "
            "POSTs (Standard Webhooks), retried with back-off, in order per event key."
        ),
        routers=ROUTERS,
        prefix=PREFIX,
    )


app = create_app()
