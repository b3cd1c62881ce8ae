"""Use cases of execution: realisations with evidence and supervisor feedback notes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal import access
from kinerja_appraisal.audit.service import record
from kinerja_appraisal.domain import PeriodState, SkpState
from kinerja_appraisal.execution.schemas import FeedbackNoteIn, RealisationIn
from kinerja_appraisal.models import (
    Assessment,
    Employee,
    FeedbackNote,
    Indicator,
    Realisation,
    Skp,
)
from kinerja_appraisal.organisation.service import get_employee
from kinerja_appraisal.pagination import PageParams, paginate
from kinerja_appraisal.periods.service import get_period
from kinerja_appraisal.state import as_dict
from kinerja_shared.auth import Identity
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.problems import Conflict, InvalidInput, NotPermitted

OPEN_FOR_REALISATION = (PeriodState.RUNNING, PeriodState.ASSESSMENT)


async def record_realisation(
    session: AsyncSession, *, actor: Identity, data: RealisationIn
) -> Realisation:
    """Record (or replace) the caller's realisation of one of their approved indicators."""
    if actor.employee_id is None:
        raise NotPermitted("only an employee records realisations")
    employee = await get_employee(session, employee_id=actor.employee_id)
    access.require_self(actor, employee)
    indicator = await session.get(Indicator, data.indicator_id)
    skp = await session.get(Skp, indicator.skp_id) if indicator else None
    if indicator is None or skp is None:
        raise InvalidInput("no such indicator", field="body.indicator_id")
    if skp.employee_id != employee.id:
        raise NotPermitted("realisations are recorded by the employee, on their own SKP only")
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
    final = await session.scalar(
        select(Assessment.id).where(
            Assessment.employee_id == employee.id,
            Assessment.period_id == period.id,
            Assessment.state != "draft",
        )
    )
    if final is not None:
        raise Conflict("the assessment of this period is final; realisations are frozen")
    row = await session.scalar(
        select(Realisation).where(
            Realisation.indicator_id == indicator.id, Realisation.period_id == period.id
        )
    )
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
            utcnow(),
        )
    await session.flush()
    await record(
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
    query = select(Realisation).where(Realisation.employee_id == employee_id)
    if period_id:
        query = query.where(Realisation.period_id == period_id)
    return await paginate(
        session, query.order_by(col(Realisation.updated_at), col(Realisation.id)), page
    )


async def add_feedback_note(
    session: AsyncSession, *, actor: Identity, employee: Employee, data: FeedbackNoteIn
) -> FeedbackNote:
    """The direct supervisor writes a continuous-feedback note to an employee."""
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
    await record(
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
    query = select(FeedbackNote).where(FeedbackNote.employee_id == employee_id)
    if period_id:
        query = query.where(FeedbackNote.period_id == period_id)
    return await paginate(
        session, query.order_by(col(FeedbackNote.created_at), col(FeedbackNote.id)), page
    )
