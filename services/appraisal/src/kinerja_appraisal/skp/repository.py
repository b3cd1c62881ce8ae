"""SQL of SKP plans, their RHK and indicators."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.domain import SkpState
from kinerja_appraisal.models import Indicator, Rhk, Skp
from kinerja_shared.pagination import PageParams, paginate


async def rhks_of(session: AsyncSession, *, skp_id: str) -> Sequence[Rhk]:
    """A plan's RHK items, in order."""
    rows = await session.scalars(
        select(Rhk).where(Rhk.skp_id == skp_id).order_by(col(Rhk.position))
    )
    return rows.all()


async def indicators_of(session: AsyncSession, *, skp_id: str) -> Sequence[Indicator]:
    """A plan's indicators, in order."""
    rows = await session.scalars(
        select(Indicator).where(Indicator.skp_id == skp_id).order_by(col(Indicator.position))
    )
    return rows.all()


async def delete_items(session: AsyncSession, *, skp_id: str) -> None:
    """Remove a plan's indicators and RHK items."""
    await session.execute(delete(Indicator).where(col(Indicator.skp_id) == skp_id))
    await session.execute(delete(Rhk).where(col(Rhk.skp_id) == skp_id))


async def latest_version(session: AsyncSession, *, employee_id: str, year: int) -> Skp | None:
    """The newest version of an employee's plan for a year, if any."""
    return await session.scalar(
        select(Skp)
        .where(Skp.employee_id == employee_id, Skp.year == year)
        .order_by(col(Skp.version).desc())
        .limit(1)
    )


async def latest_approved(session: AsyncSession, *, employee_id: str, year: int) -> Skp | None:
    """The newest approved version of an employee's plan for a year, if any."""
    return await session.scalar(
        select(Skp)
        .where(Skp.employee_id == employee_id, Skp.year == year, Skp.state == SkpState.APPROVED)
        .order_by(col(Skp.version).desc())
        .limit(1)
    )


async def skps_page(
    session: AsyncSession, *, page: PageParams, employee_id: str, year: int | None
) -> tuple[Sequence[Skp], int]:
    """A page of an employee's plans (optionally of one year), latest year and version first."""
    query = select(Skp).where(Skp.employee_id == employee_id)
    if year is not None:
        query = query.where(Skp.year == year)
    return await paginate(
        session, query.order_by(col(Skp.year).desc(), col(Skp.version).desc()), page
    )
