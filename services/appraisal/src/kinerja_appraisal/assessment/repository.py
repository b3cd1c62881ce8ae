"""SQL of assessments, their versions, curve exceptions and development plans."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.domain import AssessmentState
from kinerja_appraisal.models import (
    Assessment,
    AssessmentVersion,
    CurveException,
    DevelopmentPlan,
    Period,
)
from kinerja_shared.pagination import PageParams, paginate


async def assessment_id_of(
    session: AsyncSession, *, employee_id: str, period_id: str
) -> str | None:
    """The id of the employee's assessment for the period, if any."""
    return await session.scalar(
        select(Assessment.id).where(
            Assessment.employee_id == employee_id, Assessment.period_id == period_id
        )
    )


async def final_assessment_id_of(
    session: AsyncSession, *, employee_id: str, period_id: str
) -> str | None:
    """The id of the employee's final (not draft) assessment for the period, if any."""
    return await session.scalar(
        select(Assessment.id).where(
            Assessment.employee_id == employee_id,
            Assessment.period_id == period_id,
            Assessment.state != "draft",
        )
    )


async def final_periodic_results(
    session: AsyncSession, *, employee_id: str, year: int
) -> Sequence[tuple[date, str | None, str, str]]:
    """The employee's final results in the year's monthly and quarterly periods: (start of the
    period, final predikat, period kind, period key)."""
    rows = await session.execute(
        select(col(Period.starts_on), col(Assessment.final_predikat), Period.kind, Period.key)
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .where(
            Assessment.employee_id == employee_id,
            Period.year == year,
            Period.kind != "annual",
            Assessment.state != AssessmentState.DRAFT,
        )
    )
    return [(starts_on, predikat, kind, key) for starts_on, predikat, kind, key in rows.all()]


async def final_annual_results(
    session: AsyncSession, *, years: Sequence[int]
) -> Sequence[tuple[str, int, str | None]]:
    """Every final annual result in these years: (employee id, year, final predikat)."""
    rows = await session.execute(
        select(Assessment.employee_id, Period.year, Assessment.final_predikat)
        .join(Period, col(Period.id) == col(Assessment.period_id))
        .where(
            Period.kind == "annual",
            col(Period.year).in_(years),
            Assessment.state != AssessmentState.DRAFT,
        )
    )
    return [(employee_id, year, predikat) for employee_id, year, predikat in rows.all()]


async def assessments_page(
    session: AsyncSession,
    *,
    visible_to: str | None,
    period_id: str | None,
    unit_id: str | None,
    employee_id: str | None,
    state: str | None,
    limit: int,
    offset: int,
) -> tuple[Sequence[Assessment], int]:
    """A page of assessments, latest change first; `visible_to` (an employee id) keeps those
    of that employee or given by them (None: all)."""
    query = select(Assessment)
    if visible_to is not None:
        query = query.where(
            or_(
                col(Assessment.employee_id) == visible_to,
                col(Assessment.appraiser_id) == visible_to,
            )
        )
    for column, value in (
        (Assessment.period_id, period_id),
        (Assessment.unit_id, unit_id),
        (Assessment.employee_id, employee_id),
        (Assessment.state, state),
    ):
        if value:
            query = query.where(col(column) == value)
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(
        query.order_by(col(Assessment.updated_at).desc(), col(Assessment.id))
        .limit(limit)
        .offset(offset)
    )
    return rows.all(), int(total or 0)


async def unit_assessments(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> Sequence[Assessment]:
    """The unit's assessments in the period, by id."""
    rows = await session.scalars(
        select(Assessment)
        .where(Assessment.unit_id == unit_id, Assessment.period_id == period_id)
        .order_by(col(Assessment.id))
    )
    return rows.all()


async def final_unit_assessments(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> Sequence[Assessment]:
    """The unit's final (not draft) assessments in the period."""
    rows = await session.scalars(
        select(Assessment).where(
            Assessment.unit_id == unit_id,
            Assessment.period_id == period_id,
            Assessment.state != AssessmentState.DRAFT,
        )
    )
    return rows.all()


async def draft_count(session: AsyncSession, *, period_id: str) -> int:
    """How many assessments of the period are still drafts."""
    found = await session.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(Assessment.period_id == period_id, Assessment.state == "draft")
    )
    return int(found or 0)


async def final_count(session: AsyncSession, *, unit_id: str, period_id: str) -> int:
    """How many of the unit's assessments in the period are final."""
    found = await session.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(
            Assessment.unit_id == unit_id,
            Assessment.period_id == period_id,
            Assessment.state != "draft",
        )
    )
    return int(found or 0)


async def versions_of(session: AsyncSession, *, assessment_id: str) -> Sequence[AssessmentVersion]:
    """The versions of a final result, first to last."""
    rows = await session.scalars(
        select(AssessmentVersion)
        .where(AssessmentVersion.assessment_id == assessment_id)
        .order_by(col(AssessmentVersion.version))
    )
    return rows.all()


async def curve_exceptions_of(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> Sequence[CurveException]:
    """The unit's recorded curve exceptions in the period, oldest first."""
    rows = await session.scalars(
        select(CurveException)
        .where(CurveException.unit_id == unit_id, CurveException.period_id == period_id)
        .order_by(col(CurveException.recorded_at), col(CurveException.id))
    )
    return rows.all()


async def development_plan_id_of(session: AsyncSession, *, assessment_id: str) -> str | None:
    """The id of the development plan an assessment opened, if any."""
    return await session.scalar(
        select(DevelopmentPlan.id).where(DevelopmentPlan.assessment_id == assessment_id)
    )


async def development_plans_page(
    session: AsyncSession, *, employee_id: str, page: PageParams
) -> tuple[Sequence[DevelopmentPlan], int]:
    """A page of an employee's development plans, oldest first."""
    query = (
        select(DevelopmentPlan)
        .where(DevelopmentPlan.employee_id == employee_id)
        .order_by(col(DevelopmentPlan.created_at), col(DevelopmentPlan.id))
    )
    return await paginate(session, query, page)
