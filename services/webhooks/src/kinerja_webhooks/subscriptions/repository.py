"""SQL of subscriptions."""

from __future__ import annotations

from collections.abc import Collection

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_shared.pagination import PageParams, paginate
from kinerja_webhooks.models import Subscription


async def add(session: AsyncSession, subscription: Subscription) -> None:
    """Store a new subscription."""
    session.add(subscription)
    await session.flush()


async def by_id(
    session: AsyncSession, subscription_id: str, *, lock: bool = False
) -> Subscription | None:
    """A subscription by id; with `lock`, its row locked until the transaction ends (see
    `lock_all`)."""
    return await session.get(Subscription, subscription_id, with_for_update=True if lock else None)


async def lock_all(session: AsyncSession, subscription_ids: Collection[str]) -> None:
    """Lock these subscriptions' rows, in id order, until the transaction ends.

    The lock order of this service (PostgreSQL; SQLite has one writer at a time): a
    transaction that changes deliveries of a subscription locks the subscription first, so
    two such transactions wait for each other instead of deadlocking. Only claiming (which
    skips locked deliveries), queueing new deliveries and removing expired ones (which skips
    locked ones too) never wait."""
    if subscription_ids:
        await session.execute(
            select(Subscription)
            .where(col(Subscription.id).in_(sorted(subscription_ids)))
            .order_by(col(Subscription.id))
            .with_for_update()
        )


async def count_of_owner(session: AsyncSession, owner: str) -> int:
    """How many subscriptions an owner holds."""
    found = await session.scalar(
        select(func.count()).select_from(Subscription).where(col(Subscription.owner) == owner)
    )
    return int(found or 0)


async def page_of_owner(
    session: AsyncSession, owner: str, page: PageParams
) -> tuple[list[Subscription], int]:
    """An owner's subscriptions, oldest first."""
    query = (
        select(Subscription)
        .where(col(Subscription.owner) == owner)
        .order_by(col(Subscription.created_at), col(Subscription.id))
    )
    rows, total = await paginate(session, query, page)
    return list(rows), total


async def every(session: AsyncSession) -> list[Subscription]:
    """Every subscription (the consumer matches each event against them)."""
    rows = await session.scalars(select(Subscription).order_by(col(Subscription.created_at)))
    return list(rows)


async def remove(session: AsyncSession, subscription: Subscription) -> None:
    """Delete a subscription."""
    await session.delete(subscription)
    await session.flush()
