"""Use cases reading feedback summaries."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.access import readable_units, require_employee_history
from kinerja_reporting.directory.repository import employees_in, unit_of_employee
from kinerja_reporting.directory.tree_cache import load_tree
from kinerja_reporting.domain.feedback_summary import summarise_staff_feedback
from kinerja_reporting.ikm.service import period_of
from kinerja_reporting.summaries.repository import staff_row, staff_rows, staff_totals_of
from kinerja_reporting.summaries.schemas import FeedbackSummaryPublic
from kinerja_shared.auth import Identity


def _public(
    row: Row[Any] | None, employee_id: str, period_key: str, minimum: int
) -> FeedbackSummaryPublic:
    summary = summarise_staff_feedback(staff_totals_of(row), minimum_responses=minimum)
    return FeedbackSummaryPublic(
        employee_id=employee_id,
        period_key=period_key,
        responses=summary.responses,
        minimum_responses=summary.minimum_responses,
        sufficient=summary.published,
        u6_mean=summary.u6_mean,
        u6_answers=summary.u6_answers,
        u7_mean=summary.u7_mean,
        u7_answers=summary.u7_answers,
        overall_rating_mean=summary.overall_rating_mean,
        overall_ratings=summary.overall_ratings,
        satisfaction_index=summary.index,
        too_few_answers=[figure.value for figure in summary.too_few],
    )


async def employee_summary(
    session: AsyncSession, *, identity: Identity, employee_id: str, period_key: str, minimum: int
) -> FeedbackSummaryPublic:
    """One employee's summary for a period (zero responses when nobody named them)."""
    period = period_of(period_key)
    tree = await load_tree(session)
    unit_id = await unit_of_employee(session, employee_id)
    require_employee_history(identity, tree, employee_id, unit_id)
    row = await staff_row(session, employee_id, period.key)
    return _public(row, employee_id, period.key, minimum)


async def summaries(
    session: AsyncSession,
    *,
    identity: Identity,
    period_key: str,
    minimum: int,
    limit: int | None,
    offset: int,
) -> tuple[list[FeedbackSummaryPublic], int]:
    """Summaries of every named employee the caller may read, for a period."""
    period = period_of(period_key)
    tree = await load_tree(session)
    allowed = readable_units(identity, tree)
    employees = None if allowed is None else list(await employees_in(session, allowed))
    rows, total = await staff_rows(
        session, period.key, employee_ids=employees, limit=limit, offset=offset
    )
    return [_public(r, r.employee_id, period.key, minimum) for r in rows], total
