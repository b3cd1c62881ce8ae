"""SQL of service points."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import DirectoryUnit, ServicePoint


async def by_id(session: AsyncSession, point_id: str) -> ServicePoint | None:
    """A service point by its id."""
    return await session.get(ServicePoint, point_id)


async def by_id_or_slug(session: AsyncSession, ref: str) -> ServicePoint | None:
    """A service point by its id or its slug."""
    found = await session.get(ServicePoint, ref)
    if found is not None:
        return found
    return await by_slug(session, ref)


async def by_slug(session: AsyncSession, slug: str) -> ServicePoint | None:
    """A service point by its public slug."""
    result = await session.scalars(select(ServicePoint).where(col(ServicePoint.slug) == slug))
    return result.first()


async def slug_taken(session: AsyncSession, slug: str) -> bool:
    """Whether a slug is in use."""
    return (await by_slug(session, slug)) is not None


async def search(
    session: AsyncSession,
    *,
    text: str | None,
    unit_id: str | None,
    box: tuple[float, float, float, float] | None,
    limit: int,
) -> list[ServicePoint]:
    """Active service points matching name/unit text, a unit and a bounding box."""
    stmt = select(ServicePoint).where(col(ServicePoint.active).is_(True))
    if text:
        pattern = f"%{text.lower()}%"
        units = select(col(DirectoryUnit.unit_id)).where(
            func.lower(col(DirectoryUnit.name)).like(pattern)
        )
        stmt = stmt.where(
            or_(
                func.lower(col(ServicePoint.name)).like(pattern),
                col(ServicePoint.unit_id).in_(units),
            )
        )
    if unit_id:
        stmt = stmt.where(col(ServicePoint.unit_id) == unit_id)
    if box is not None:
        min_lat, max_lat, min_lon, max_lon = box
        stmt = stmt.where(
            col(ServicePoint.latitude).between(min_lat, max_lat),
            col(ServicePoint.longitude).between(min_lon, max_lon),
        )
    rows = await session.scalars(stmt.order_by(col(ServicePoint.name)).limit(limit))
    return list(rows)


async def all_active(session: AsyncSession) -> list[ServicePoint]:
    """Every active service point, by name."""
    rows = await session.scalars(
        select(ServicePoint)
        .where(col(ServicePoint.active).is_(True))
        .order_by(col(ServicePoint.name))
    )
    return list(rows)


async def units_with_points(session: AsyncSession) -> list[str]:
    """The units that have a service point (active or not)."""
    return list(await session.scalars(select(col(ServicePoint.unit_id)).distinct()))
