"""SQL of the staff feedback totals."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.feedback_summary import StaffFeedbackTotals
from kinerja_reporting.models import STAFF_TOTALS


def staff_totals_of(row: Row[Any] | None) -> StaffFeedbackTotals:
    """Domain totals from a staff_totals row."""
    return StaffFeedbackTotals() if row is None else StaffFeedbackTotals.from_counters(row._mapping)


async def staff_row(session: AsyncSession, employee_id: str, period_key: str) -> Row[Any] | None:
    """One employee's totals for a period."""
    return (
        await session.execute(
            select(STAFF_TOTALS).where(
                STAFF_TOTALS.c.employee_id == employee_id,
                STAFF_TOTALS.c.period_key == period_key,
            )
        )
    ).first()


async def staff_rows(
    session: AsyncSession,
    period_key: str,
    *,
    employee_ids: Iterable[str] | None = None,
    limit: int | None = None,
    offset: int = 0,
) -> tuple[list[Row[Any]], int]:
    """Totals of many employees for a period (optionally only some), paginated."""
    condition = [STAFF_TOTALS.c.period_key == period_key]
    if employee_ids is not None:
        condition.append(STAFF_TOTALS.c.employee_id.in_(list(employee_ids)))
    total = await session.scalar(select(func.count()).select_from(STAFF_TOTALS).where(*condition))
    query = (
        select(STAFF_TOTALS).where(*condition).order_by(STAFF_TOTALS.c.employee_id).offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list((await session.execute(query)).all()), int(total or 0)
