"""SQL of periods and organisation predikat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.models import OrganisationPredikatRecord, Period
from kinerja_shared.pagination import PageParams


async def a_period_key(session: AsyncSession, *, kind: str, year: int) -> str | None:
    """The key of some period of this kind in the year, if there is one."""
    return await session.scalar(select(Period.key).where(Period.kind == kind, Period.year == year))


async def overlapping_period_key(
    session: AsyncSession, *, kind: str, starts_on: date, ends_on: date
) -> str | None:
    """The key of a period of this kind overlapping the span, if there is one."""
    return await session.scalar(
        select(Period.key).where(
            Period.kind == kind, Period.starts_on <= ends_on, Period.ends_on >= starts_on
        )
    )


async def periods_page(
    session: AsyncSession,
    *,
    page: PageParams,
    year: int | None,
    kind: str | None,
    state: str | None,
) -> tuple[Sequence[Period], int]:
    """A page of periods filtered by year, kind and state, latest first."""
    query = select(Period)
    if year is not None:
        query = query.where(Period.year == year)
    if kind:
        query = query.where(Period.kind == kind)
    if state:
        query = query.where(Period.state == state)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(col(Period.starts_on).desc(), col(Period.kind))
        .limit(page.limit)
        .offset(page.offset)
    )
    return rows.all(), int(total or 0)


async def organisation_predikat_of(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> OrganisationPredikatRecord | None:
    """The organisation predikat of a unit in a period, if set."""
    return await session.scalar(
        select(OrganisationPredikatRecord).where(
            OrganisationPredikatRecord.unit_id == unit_id,
            OrganisationPredikatRecord.period_id == period_id,
        )
    )


async def organisation_predikats_in(
    session: AsyncSession, *, period_id: str
) -> Sequence[OrganisationPredikatRecord]:
    """Every unit's organisation predikat in a period."""
    rows = await session.scalars(
        select(OrganisationPredikatRecord).where(OrganisationPredikatRecord.period_id == period_id)
    )
    return rows.all()
