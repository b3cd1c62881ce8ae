"""Use cases of execution: realisations with evidence, supervisor feedback notes, and the
local copy of citizen feedback summaries (fed by `feedback_summary.published`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment import repository as assessments
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import PeriodState, SkpState
from kinerja_appraisal.execution import repository
from kinerja_appraisal.execution.schemas import FeedbackNoteIn, RealisationIn
from kinerja_appraisal.models import (
    CitizenFeedbackSummary,
    FeedbackNote,
    Indicator,
    Realisation,
    Skp,
)
from kinerja_appraisal.organisation.service import get_employee, readable_employee
from kinerja_appraisal.periods.service import get_period
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import Conflict, InvalidInput

OPEN_FOR_REALISATION = (PeriodState.RUNNING, PeriodState.ASSESSMENT)


async def record_realisation(
    session: AsyncSession, *, actor: Identity, data: RealisationIn, now: datetime
) -> Realisation:
    """Record (or replace) the caller's realisation of one of their approved indicators."""
    employee_id = access.require_employee_token(actor, "only an employee records realisations")
    employee = await get_employee(session, employee_id=employee_id)
    access.require_self(actor, employee)
    indicator = await session.get(Indicator, data.indicator_id)
    skp = await session.get(Skp, indicator.skp_id) if indicator else None
    if indicator is None or skp is None:
        raise InvalidInput("no such indicator", field="body.indicator_id")
    access.require_own_skp_for_realisation(employee, skp)
    period = await get_period(session, period_id=data.period_id, field="body.period_id")
    if period.state not in OPEN_FOR_REALISATION:
        raise Conflict(
            f"realisations are recorded while a period runs; this one is {period.state}",
            field="body.period_id",
        )
    if skp.state != SkpState.APPROVED or skp.year != period.year:
        raise InvalidInput(
            "realisations are recorded against an approved SKP of the period's year",
            field="body.indicator_id",
        )
    final = await assessments.final_assessment_id_of(
        session, employee_id=employee.id, period_id=period.id
    )
    if final is not None:
        raise Conflict("the assessment of this period is final; realisations are frozen")
    row = await repository.realisation_of(session, indicator_id=indicator.id, period_id=period.id)
    before = as_dict(row)
    evidence = [item.model_dump() for item in data.evidence]
    if row is None:
        row = Realisation(
            indicator_id=indicator.id,
            employee_id=employee.id,
            period_id=period.id,
            value=data.value,
            note=data.note,
            evidence=evidence,
        )
        session.add(row)
    else:
        row.value, row.note, row.evidence, row.updated_at = (
            data.value,
            data.note,
            evidence,
            now,
        )
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="realisation.recorded",
        entity_type="realisation",
        entity_id=row.id,
        before=before,
        after=as_dict(row),
    )
    return row


async def realisations(
    session: AsyncSession, *, employee_id: str, period_id: str | None = None
) -> Sequence[Realisation]:
    """An employee's realisations, optionally of one period (all of them)."""
    rows, _ = await list_realisations(
        session,
        page=PageParams(limit=10_000, offset=0),
        employee_id=employee_id,
        period_id=period_id,
    )
    return rows


async def list_realisations(
    session: AsyncSession, *, page: PageParams, employee_id: str, period_id: str | None = None
) -> tuple[Sequence[Realisation], int]:
    """A page of an employee's realisations, optionally of one period."""
    return await repository.realisations_page(
        session, page=page, employee_id=employee_id, period_id=period_id
    )


async def read_realisations(
    session: AsyncSession,
    *,
    actor: Identity,
    page: PageParams,
    employee_id: str,
    period_id: str | None = None,
) -> tuple[Sequence[Realisation], int]:
    """A page of an employee's realisations, for those who may read their records."""
    await readable_employee(session, actor=actor, employee_id=employee_id)
    return await list_realisations(session, page=page, employee_id=employee_id, period_id=period_id)


async def add_feedback_note(
    session: AsyncSession, *, actor: Identity, employee_id: str, data: FeedbackNoteIn
) -> FeedbackNote:
    """The direct supervisor writes a continuous-feedback note to an employee."""
    employee = await get_employee(session, employee_id=employee_id)
    access.require_direct_supervisor(actor, employee)
    if data.period_id is not None:
        await get_period(session, period_id=data.period_id, field="body.period_id")
    note = FeedbackNote(
        employee_id=employee.id,
        author_id=str(actor.employee_id),
        period_id=data.period_id,
        text=data.text,
    )
    session.add(note)
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="feedback_note.added",
        entity_type="feedback_note",
        entity_id=note.id,
        before=None,
        after=as_dict(note),
    )
    return note


async def feedback_notes(
    session: AsyncSession, *, employee_id: str, period_id: str | None = None
) -> Sequence[FeedbackNote]:
    """An employee's feedback notes, oldest first (all of them)."""
    rows, _ = await list_feedback_notes(
        session,
        page=PageParams(limit=10_000, offset=0),
        employee_id=employee_id,
        period_id=period_id,
    )
    return rows


async def list_feedback_notes(
    session: AsyncSession, *, page: PageParams, employee_id: str, period_id: str | None = None
) -> tuple[Sequence[FeedbackNote], int]:
    """A page of an employee's feedback notes, oldest first."""
    return await repository.feedback_notes_page(
        session, page=page, employee_id=employee_id, period_id=period_id
    )


async def read_feedback_notes(
    session: AsyncSession,
    *,
    actor: Identity,
    page: PageParams,
    employee_id: str,
    period_id: str | None = None,
) -> tuple[Sequence[FeedbackNote], int]:
    """A page of an employee's feedback notes, for those who may read their records."""
    await readable_employee(session, actor=actor, employee_id=employee_id)
    return await list_feedback_notes(
        session, page=page, employee_id=employee_id, period_id=period_id
    )


async def read_citizen_feedback(
    session: AsyncSession, *, actor: Identity, employee_id: str, period_key: str | None = None
) -> Sequence[CitizenFeedbackSummary]:
    """An employee's citizen feedback summaries, for those who may read their records."""
    await readable_employee(session, actor=actor, employee_id=employee_id)
    return await repository.summaries_of(session, employee_id=employee_id, period_key=period_key)


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _aware(moment: datetime) -> datetime:
    """SQLite gives back naive datetimes; every stored time is UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


async def store_summary(session: AsyncSession, *, payload: FeedbackSummaryPublished) -> None:
    """Insert or replace the summary, unless a newer one is already stored."""
    row = await session.get(CitizenFeedbackSummary, (payload.employee_id, payload.period_key))
    if row is not None and _aware(row.computed_at) > payload.computed_at:
        return
    if row is None:
        row = CitizenFeedbackSummary(
            employee_id=payload.employee_id,
            period_key=payload.period_key,
            responses=payload.responses,
            minimum_responses=payload.minimum_responses,
            sufficient=payload.sufficient,
            computed_at=payload.computed_at,
        )
        session.add(row)
    row.responses = payload.responses
    row.minimum_responses = payload.minimum_responses
    row.sufficient = payload.sufficient
    row.u6_mean = _text(payload.u6_mean)
    row.u7_mean = _text(payload.u7_mean)
    row.overall_rating_mean = _text(payload.overall_rating_mean)
    row.satisfaction_index = _text(payload.satisfaction_index)
    row.computed_at = payload.computed_at


async def summary_for(
    session: AsyncSession, *, employee_id: str, period_key: str
) -> CitizenFeedbackSummary | None:
    """The stored summary of an employee for a period, if any."""
    return await session.get(CitizenFeedbackSummary, (employee_id, period_key))
