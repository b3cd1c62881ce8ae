"""The states of subscriptions and deliveries."""

from __future__ import annotations

from typing import Literal

#: A subscription is delivered to while active; paused (by its owner, or automatically after
#: failing too long) it keeps its queue and gets nothing until resumed.
ACTIVE, PAUSED = "active", "paused"
SubscriptionStatus = Literal["active", "paused"]

#: A delivery is pending until a 2xx (delivered) or until retries give up (dead).
PENDING, DELIVERED, DEAD = "pending", "delivered", "dead"
DeliveryStatus = Literal["pending", "delivered", "dead"]
