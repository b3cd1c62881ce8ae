"""Requests and answers of deliveries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from kinerja_shared.schemas import RequestModel
from kinerja_webhooks.domain.states import DeliveryStatus


class DeliveryPublic(BaseModel):
    """One event owed to a subscription and where its attempts stand."""

    id: str = Field(description="Also the `webhook-id` header (the same on every attempt).")
    subscription_id: str
    event_id: str
    event_type: str
    event_key: str = Field(description="The event's subject; deliveries of one key go in order.")
    status: DeliveryStatus = Field(
        description="pending (waiting or retrying), delivered (a 2xx), dead (given up)."
    )
    attempts: int
    response_code: int | None = Field(description="The status of the last answer, if any.")
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None = Field(description="When it is tried next, if pending.")
    last_attempt_at: datetime | None
    delivered_at: datetime | None
    dead_at: datetime | None


class RedeliverSince(RequestModel):
    """Deliver again everything created since a time."""

    since: datetime = Field(description="Deliveries created at or after this time (with offset).")


class Redelivered(BaseModel):
    """How many deliveries were queued again."""

    redelivered: int
