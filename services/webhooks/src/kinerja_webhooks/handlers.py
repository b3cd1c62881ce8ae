"""The one place where event types are mapped to handlers."""

from __future__ import annotations

from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.catalogue import CATALOGUE
from kinerja_webhooks.deliveries.consumers import on_events


def register_handlers(router: EventRouter) -> None:
    """Every event type of the catalogue may be subscribed to: all go to the delivery queue."""
    router.on_batch(*(entry.model for entry in CATALOGUE))(on_events)
