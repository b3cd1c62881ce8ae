"""SQL of final assessments and organisation predikat."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.models import APPRAISAL_PERIOD, ASSESSMENT, ORGANISATION_PREDIKAT


async def predikat_counts(session: AsyncSession, unit_id: str, period_key: str) -> dict[str, int]:
    """Employees per final predikat in a unit and period."""
    rows = (
        await session.execute(
            select(ASSESSMENT.c.final_predikat, func.count())
            .where(ASSESSMENT.c.unit_id == unit_id, ASSESSMENT.c.period_key == period_key)
            .group_by(ASSESSMENT.c.final_predikat)
        )
    ).all()
    return {r[0]: int(r[1]) for r in rows}


async def organisation_predikat(session: AsyncSession, unit_id: str, period_key: str) -> str | None:
    """The organisation predikat BKPSDM set for the unit and period."""
    return await session.scalar(
        select(ORGANISATION_PREDIKAT.c.predikat).where(
            ORGANISATION_PREDIKAT.c.unit_id == unit_id,
            ORGANISATION_PREDIKAT.c.period_key == period_key,
        )
    )


async def history(session: AsyncSession, employee_id: str) -> list[Row[Any]]:
    """An employee's final assessments, oldest period first."""
    return list(
        (
            await session.execute(
                select(ASSESSMENT)
                .where(ASSESSMENT.c.employee_id == employee_id)
                .order_by(ASSESSMENT.c.period_key, ASSESSMENT.c.assessment_id)
            )
        ).all()
    )


async def assessments(
    session: AsyncSession,
    *,
    period_keys: Iterable[str],
    unit_ids: Iterable[str] | None = None,
    appraiser_id: str | None = None,
) -> list[Row[Any]]:
    """Final assessments of some periods (optionally some units or one appraiser)."""
    condition: list[ColumnElement[bool]] = [ASSESSMENT.c.period_key.in_(list(period_keys))]
    if unit_ids is not None:
        condition.append(ASSESSMENT.c.unit_id.in_(list(unit_ids)))
    if appraiser_id is not None:
        condition.append(ASSESSMENT.c.appraiser_id == appraiser_id)
    return list(
        (
            await session.execute(
                select(ASSESSMENT).where(*condition).order_by(ASSESSMENT.c.employee_id)
            )
        ).all()
    )


async def annual_period_keys(session: AsyncSession) -> list[str]:
    """Keys of the annual periods known (from periods and annual assessments), latest first."""
    from_periods = (
        await session.execute(
            select(APPRAISAL_PERIOD.c.period_key).where(APPRAISAL_PERIOD.c.kind == "annual")
        )
    ).scalars()
    from_assessments = (
        await session.execute(
            select(ASSESSMENT.c.period_key).where(ASSESSMENT.c.period_kind == "annual").distinct()
        )
    ).scalars()
    return sorted(set(from_periods) | set(from_assessments), reverse=True)
