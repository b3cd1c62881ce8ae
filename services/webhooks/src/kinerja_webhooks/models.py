"""Tables of the webhooks service: subscriptions and the deliveries owed to them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Column, Index, Integer, Text
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kinerja_shared.columns import UtcDateTime
from kinerja_shared.messaging import messaging_tables


class Base(SQLModel, registry=registry()):
    """Base of the webhooks tables (own metadata)."""


class Subscription(Base, table=True):
    """A system's standing order: events of these types (and units) to this URL, signed."""

    __tablename__ = "subscription"
    id: str = Field(primary_key=True, max_length=36)
    owner: str = Field(max_length=200, index=True)
    target_url: str = Field(max_length=2000)
    event_types: list[str] = Field(sa_column=Column(JSON, nullable=False))
    unit_ids: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    description: str = Field(default="", max_length=500)
    #: The signing secret encrypted with the service's key (it must sign, so no hash).
    secret_encrypted: str = Field(sa_column=Column(Text, nullable=False))
    #: While a rotation overlaps: the secret just replaced (encrypted), which still signs
    #: deliveries, alongside the new one, until `previous_secret_until`.
    previous_secret_encrypted: str | None = Field(
        default=None, sa_column=Column(Text, nullable=True)
    )
    previous_secret_until: datetime | None = Field(default=None, sa_type=UtcDateTime)
    status: str = Field(max_length=10)
    paused_reason: str | None = Field(default=None, max_length=1000)
    paused_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    failing_since: datetime | None = Field(default=None, sa_type=UtcDateTime)
    created_at: datetime = Field(sa_type=UtcDateTime)
    updated_at: datetime = Field(sa_type=UtcDateTime)


class Delivery(Base, table=True):
    """One event owed to one subscription, with where its attempts stand.

    `sequence` orders deliveries: of one subscription and event key, a delivery is sent only
    when none before it is still pending."""

    __tablename__ = "delivery"
    __table_args__ = (
        Index("ix_delivery_due", "status", "next_attempt_at"),
        Index("ix_delivery_key_order", "subscription_id", "event_key", "status", "sequence"),
        Index("ix_delivery_subscription_created", "subscription_id", "created_at"),
    )
    sequence: int | None = Field(
        default=None,
        sa_column=Column(
            BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True
        ),
    )
    id: str = Field(max_length=36, unique=True)
    subscription_id: str = Field(max_length=36)
    event_id: str = Field(max_length=200)
    event_type: str = Field(max_length=200)
    event_key: str = Field(max_length=300)
    payload: str = Field(sa_column=Column(Text, nullable=False))
    status: str = Field(max_length=10)
    attempts: int = 0
    response_code: int | None = None
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_type=UtcDateTime)
    next_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    first_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    last_attempt_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    delivered_at: datetime | None = Field(default=None, sa_type=UtcDateTime)
    dead_at: datetime | None = Field(default=None, sa_type=UtcDateTime)


metadata = Base.metadata
messaging = messaging_tables(metadata)

__all__ = ["Base", "Delivery", "Subscription", "messaging", "metadata"]
