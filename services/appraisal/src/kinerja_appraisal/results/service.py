"""Use case of the pull API: final results changed since a cursor."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment.service import aware
from kinerja_appraisal.results import repository
from kinerja_appraisal.results.schemas import ResultChange, ResultChanges
from kinerja_shared.auth import Identity


async def result_changes(
    session: AsyncSession, *, actor: Identity, after: int, period_id: str | None, limit: int
) -> ResultChanges:
    """Final results changed after the cursor, oldest change first (optionally per period)."""
    access.require_result_reader(actor)
    rows = await repository.changes_after(
        session, after=after, period_id=period_id, limit=limit + 1
    )
    items = [
        ResultChange(
            sequence=int(a.change_seq or 0),
            assessment_id=a.id,
            employee_id=a.employee_id,
            staff_code=staff_code,
            unit_id=a.unit_id,
            period_id=a.period_id,
            period_key=key,
            state=a.state,
            hasil=a.final_hasil or a.hasil,
            perilaku=a.final_perilaku or a.perilaku,
            predikat=a.final_predikat or a.predikat,
            changed_by_objection=(a.final_predikat or a.predikat) != a.predikat
            or (a.final_hasil or a.hasil) != a.hasil,
            finalized_at=aware(a.finalized_at) or a.updated_at,
        )
        for a, staff_code, key in rows[:limit]
    ]
    return ResultChanges(
        items=items,
        next_cursor=items[-1].sequence if items else after,
        has_more=len(rows) > limit,
    )
