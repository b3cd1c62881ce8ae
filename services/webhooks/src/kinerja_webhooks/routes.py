"""The routers of the webhooks service, in the order of its OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_webhooks.deliveries.endpoints import router as deliveries_router
from kinerja_webhooks.subscriptions.endpoints import router as subscriptions_router

ROUTERS: list[APIRouter] = [subscriptions_router, deliveries_router]
