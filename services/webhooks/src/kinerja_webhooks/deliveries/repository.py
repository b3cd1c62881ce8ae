"""SQL of deliveries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete, exists, insert, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased
from sqlmodel import col, select

from kinerja_shared.pagination import PageParams, paginate
from kinerja_webhooks.domain.states import ACTIVE, DEAD, DELIVERED, PENDING
from kinerja_webhooks.models import Delivery, Subscription


async def add_many(session: AsyncSession, rows: Sequence[dict[str, Any]]) -> None:
    """Store new deliveries (in the order given: that order is their sequence)."""
    if rows:
        await session.execute(insert(Delivery), list(rows))


async def claim_due(
    session: AsyncSession, *, now: datetime, until: datetime, limit: int, row_locks: bool
) -> list[tuple[Delivery, Subscription]]:
    """Deliveries due now of active subscriptions, each the first still pending of its
    subscription and event key, oldest first; leased to the caller until `until` (no other
    worker takes them before), with their subscriptions."""
    earlier = aliased(Delivery)
    blocked = exists().where(
        col(earlier.subscription_id) == col(Delivery.subscription_id),
        col(earlier.event_key) == col(Delivery.event_key),
        col(earlier.status) == PENDING,
        col(earlier.sequence) < col(Delivery.sequence),
    )
    query = (
        select(Delivery, Subscription)
        .join(Subscription, col(Subscription.id) == col(Delivery.subscription_id))
        .where(
            col(Delivery.status) == PENDING,
            col(Delivery.next_attempt_at) <= now,
            col(Subscription.status) == ACTIVE,
            ~blocked,
        )
        .order_by(col(Delivery.sequence))
        .limit(limit)
    )
    if row_locks:
        query = query.with_for_update(skip_locked=True, of=Delivery)
    found = [(delivery, subscription) for delivery, subscription in await session.execute(query)]
    if found:
        await session.execute(
            update(Delivery)
            .where(col(Delivery.sequence).in_([d.sequence for d, _ in found]))
            .values(next_attempt_at=until)
        )
        for delivery, _ in found:
            delivery.next_attempt_at = until
    return found


async def by_sequence(session: AsyncSession, sequence: int) -> Delivery | None:
    """A delivery by its sequence number."""
    return await session.get(Delivery, sequence)


async def record_attempt(
    session: AsyncSession, sequence: int, *, lease_until: datetime, values: dict[str, Any]
) -> bool:
    """Write an attempt's outcome if the delivery is still pending under the lease taken for
    it (compare and set, one statement: a concurrent redelivery either lands first and the
    write does nothing, or waits for it and stands). Whether it was written."""
    result = await session.execute(
        update(Delivery)
        .where(
            col(Delivery.sequence) == sequence,
            col(Delivery.status) == PENDING,
            col(Delivery.next_attempt_at) == lease_until,
        )
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


async def by_id(session: AsyncSession, delivery_id: str) -> Delivery | None:
    """A delivery by its public id."""
    rows = await session.scalars(select(Delivery).where(col(Delivery.id) == delivery_id))
    return rows.first()


async def page_of_subscription(
    session: AsyncSession, subscription_id: str, status: str | None, page: PageParams
) -> tuple[list[Delivery], int]:
    """A subscription's deliveries, newest first."""
    query = select(Delivery).where(col(Delivery.subscription_id) == subscription_id)
    if status is not None:
        query = query.where(col(Delivery.status) == status)
    rows, total = await paginate(session, query.order_by(col(Delivery.sequence).desc()), page)
    return list(rows), total


async def requeue(
    session: AsyncSession,
    subscription_id: str,
    *,
    since: datetime | None,
    ids: Sequence[str] | None,
    now: datetime,
) -> int:
    """Make deliveries of a subscription pending again from scratch (attempts, horizon), due
    now: those created since a time, or those with these ids. Returns how many."""
    query = update(Delivery).where(col(Delivery.subscription_id) == subscription_id)
    if since is not None:
        query = query.where(col(Delivery.created_at) >= since)
    if ids is not None:
        query = query.where(col(Delivery.id).in_(list(ids)))
    result = await session.execute(
        query.values(
            status=PENDING,
            attempts=0,
            next_attempt_at=now,
            first_attempt_at=None,
            delivered_at=None,
            dead_at=None,
        )
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]


async def make_pending_due(session: AsyncSession, subscription_id: str, now: datetime) -> None:
    """Bring a subscription's pending deliveries forward to now (it was resumed)."""
    await session.execute(
        update(Delivery)
        .where(col(Delivery.subscription_id) == subscription_id, col(Delivery.status) == PENDING)
        .values(next_attempt_at=now)
    )


async def remove_of_subscription(session: AsyncSession, subscription_id: str) -> None:
    """Delete every delivery of a subscription."""
    await session.execute(delete(Delivery).where(col(Delivery.subscription_id) == subscription_id))


async def remove_settled_before(session: AsyncSession, cutoff: datetime, *, limit: int) -> int:
    """Delete up to `limit` delivered or dead deliveries last attempted before `cutoff`,
    oldest first; how many."""
    doomed = (
        select(col(Delivery.sequence))
        .where(
            col(Delivery.status).in_((DELIVERED, DEAD)),
            col(Delivery.last_attempt_at) < cutoff,
        )
        .order_by(col(Delivery.sequence))
        .limit(limit)
        .with_for_update(skip_locked=True)  # never waits (PostgreSQL; SQLite ignores it)
    )
    result = await session.execute(
        delete(Delivery)
        .where(col(Delivery.sequence).in_(doomed.scalar_subquery()))
        .execution_options(synchronize_session=False)
    )
    return int(result.rowcount or 0)  # type: ignore[attr-defined]
