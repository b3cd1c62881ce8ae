"""SQL of the holiday calendar: the loaded days of a region and year, of regions from a day."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import Holiday


async def days_of_year(session: AsyncSession, region: str, year: int) -> list[date]:
    """The days loaded for a region and year."""
    rows = await session.scalars(
        select(col(Holiday.day)).where(col(Holiday.region) == region, col(Holiday.year) == year)
    )
    return list(rows.all())


async def replace_year(
    session: AsyncSession, region: str, year: int, holidays: Iterable[Holiday]
) -> None:
    """Delete what was loaded for a region and year and store these holidays instead."""
    await session.execute(
        delete(Holiday).where(col(Holiday.region) == region, col(Holiday.year) == year)
    )
    session.add_all(holidays)
    await session.flush()


async def days_since(session: AsyncSession, regions: list[str], since: date) -> frozenset[date]:
    """The holidays of the regions from a day on."""
    if not regions:
        return frozenset()
    days = await session.scalars(
        select(col(Holiday.day)).where(col(Holiday.region).in_(regions), col(Holiday.day) >= since)
    )
    return frozenset(days)
