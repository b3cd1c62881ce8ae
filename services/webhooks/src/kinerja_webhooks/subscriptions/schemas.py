"""Requests and answers of subscriptions."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from kinerja_shared.schemas import RequestModel
from kinerja_webhooks.domain.event_types import PATTERN
from kinerja_webhooks.domain.states import SubscriptionStatus

EventTypePattern = Annotated[str, StringConstraints(pattern=PATTERN.pattern)]
UnitId = Annotated[str, StringConstraints(min_length=1, max_length=64)]
TargetUrl = Annotated[str, StringConstraints(min_length=1, max_length=2000)]


class SubscriptionBase(BaseModel):
    """What a subscription asks for."""

    target_url: TargetUrl = Field(
        description="Where deliveries are POSTed; https in production, to a public address "
        "(or one in the city's allow-list)."
    )
    event_types: list[EventTypePattern] = Field(
        min_length=1,
        max_length=50,
        description="Event types by catalogue name (`skp.approved`), service and name "
        "(`appraisal.skp.approved`) or CloudEvents type; `*` is a wildcard (`appraisal.*`).",
    )
    unit_ids: list[UnitId] | None = Field(
        default=None,
        max_length=200,
        description="Only events about these units (their `unit_id`); none: every event.",
    )
    description: str = Field(default="", max_length=500)


class SubscriptionCreate(SubscriptionBase, RequestModel):
    """A new subscription."""


class SubscriptionUpdate(RequestModel):
    """Changes to a subscription (fields left out stay as they are)."""

    target_url: TargetUrl | None = None
    event_types: list[EventTypePattern] | None = Field(default=None, min_length=1, max_length=50)
    unit_ids: list[UnitId] | None = Field(default=None, max_length=200)
    description: str | None = Field(default=None, max_length=500)


class SubscriptionPublic(SubscriptionBase):
    """A subscription as its owner sees it (never its secret)."""

    id: str
    status: SubscriptionStatus
    paused_reason: str | None = Field(
        description="Why it is paused: by its owner, or automatically after failing too long."
    )
    paused_at: datetime | None
    failing_since: datetime | None = Field(
        description="Since when its deliveries fail without a success, if they do."
    )
    previous_secret_until: datetime | None = Field(
        default=None,
        description="After a rotation: until when the secret it replaced also signs "
        "deliveries (a second signature in `webhook-signature`).",
    )
    created_at: datetime
    updated_at: datetime


class SubscriptionCreated(SubscriptionPublic):
    """A new subscription with its signing secret, shown this once."""

    secret: str = Field(description="The Standard Webhooks signing secret (`whsec_...`).")


#: The longest a replaced secret may go on signing (a week).
LONGEST_OVERLAP_SECONDS = 7 * 24 * 3600


class SecretRotation(RequestModel):
    """How a secret is rotated."""

    previous_secret_valid_seconds: int = Field(
        default=24 * 3600,
        ge=0,
        le=LONGEST_OVERLAP_SECONDS,
        description="For how long the secret being replaced goes on signing deliveries "
        "alongside the new one, so that receivers can switch without refusing any; "
        "0 stops it at once (a leaked secret).",
    )


class SecretRotated(BaseModel):
    """A subscription's new signing secret, shown this once."""

    subscription_id: str
    secret: str
    previous_secret_until: datetime | None = Field(
        description="Until when the replaced secret also signs deliveries; null: not at all."
    )
