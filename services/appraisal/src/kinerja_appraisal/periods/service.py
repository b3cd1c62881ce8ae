"""Use cases of periods: creation without overlap, the state machine, organisation predikat."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal import access
from kinerja_appraisal.assessment import repository as assessments
from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import PeriodAction, PeriodState
from kinerja_appraisal.domain import next_period_state as next_state
from kinerja_appraisal.models import OrganisationPredikatRecord, Period
from kinerja_appraisal.organisation.service import get_unit
from kinerja_appraisal.periods import repository
from kinerja_appraisal.periods.calendar import period_key, period_span
from kinerja_appraisal.periods.schemas import PeriodCreate
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.appraisal import (
    OrganisationPredikatSet,
    PeriodClosed,
    PeriodKind,
    PeriodOpened,
)
from kinerja_shared.law.predikat import PredikatOrganisasiValue
from kinerja_shared.outbox import Outbox
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


async def get_period(session: AsyncSession, *, period_id: str, field: str | None = None) -> Period:
    """A period by id; 404, or 422 naming `field` when it is a reference in a request."""
    period = await session.get(Period, period_id)
    if period is None:
        if field:
            raise InvalidInput(f"period {period_id!r} does not exist", field=field)
        raise ResourceNotFound(f"period {period_id!r} does not exist")
    return period


async def create_period(session: AsyncSession, *, actor: Identity, data: PeriodCreate) -> Period:
    """Plan a period; an overlapping period of the same kind, or a monthly period in a year
    with quarterly ones (and the reverse), is refused (409)."""
    access.require_admin(actor)
    if data.kind != "annual" and data.number is None:
        raise InvalidInput("a quarterly or monthly period needs its number", field="body.number")
    if data.kind == "annual" and data.number is not None:
        raise InvalidInput("an annual period has no number", field="body.number")
    if data.kind == "quarterly" and data.number is not None and data.number > 4:
        raise InvalidInput("a quarter is numbered 1 to 4", field="body.number")
    first, last = period_span(data.kind, data.year, data.number)
    starts_on, ends_on = data.starts_on or first, data.ends_on or last
    if not first <= starts_on <= ends_on <= last:
        raise InvalidInput(
            f"the dates must lie within {first.isoformat()}..{last.isoformat()}, start first",
            field="body.starts_on",
        )
    key = period_key(data.kind, data.year, data.number)
    if data.kind != "annual":
        # docs/domain.md, "Annual appraisal": a year's periods are monthly or quarterly.
        other = "monthly" if data.kind == "quarterly" else "quarterly"
        mixed = await repository.a_period_key(session, kind=other, year=data.year)
        if mixed is not None:
            raise Conflict(
                f"{data.year} already has {other} periods (such as {mixed}); the periods of"
                f" a year are either monthly or quarterly",
                field="body.kind",
                extra={"conflicting_period_key": mixed},
            )
    overlapping = await repository.overlapping_period_key(
        session, kind=data.kind, starts_on=starts_on, ends_on=ends_on
    )
    if overlapping is not None:
        raise Conflict(f"it overlaps the {data.kind} period {overlapping}", field="body.number")
    period = Period(
        key=key,
        kind=data.kind,
        year=data.year,
        starts_on=starts_on,
        ends_on=ends_on,
        state=PeriodState.PLANNING,
    )
    session.add(period)
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="period.created",
        entity_type="period",
        entity_id=period.id,
        before=None,
        after=as_dict(period),
    )
    return period


async def advance_period(
    session: AsyncSession,
    *,
    outbox: Outbox,
    actor: Identity,
    period_id: str,
    action: PeriodAction,
    now: datetime,
) -> Period:
    """Start a period, begin its assessment or close it (409 for an illegal move)."""
    access.require_admin(actor)
    period = await get_period(session, period_id=period_id)
    before = as_dict(period)
    state = next_state(PeriodState(period.state), action)
    if action is PeriodAction.CLOSE:
        drafts = await assessments.draft_count(session, period_id=period.id)
        if drafts:
            raise Conflict(
                f"{drafts} assessment(s) of this period are still drafts; finalise every"
                " unit first",
                extra={"draft_assessments": drafts},
            )
        period.closed_at = now
    if action is PeriodAction.START:
        period.opened_at = now
    period.state = state
    await record_change(
        session,
        actor=actor,
        action=f"period.{action}",
        entity_type="period",
        entity_id=period.id,
        before=before,
        after=as_dict(period),
        outbox=outbox,
        event=_announcement(period, action, now),
    )
    return period


def _announcement(
    period: Period, action: PeriodAction, now: datetime
) -> PeriodOpened | PeriodClosed | None:
    """The event a move announces: `period.opened` on start, `period.closed` on close."""
    kind = cast(PeriodKind, period.kind)
    if action is PeriodAction.START:
        return PeriodOpened(
            period_id=period.id,
            period_key=period.key,
            kind=kind,
            year=period.year,
            starts_on=period.starts_on,
            ends_on=period.ends_on,
        )
    if action is PeriodAction.CLOSE:
        return PeriodClosed(
            period_id=period.id,
            period_key=period.key,
            kind=kind,
            year=period.year,
            closed_at=now,
        )
    return None


async def list_periods(
    session: AsyncSession,
    *,
    actor: Identity,
    page: PageParams,
    year: int | None = None,
    kind: str | None = None,
    state: str | None = None,
) -> tuple[Sequence[Period], int]:
    """Periods filtered by year, kind and state, latest first (staff)."""
    access.require_staff(actor)
    return await repository.periods_page(session, page=page, year=year, kind=kind, state=state)


async def organisation_predikat(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> OrganisationPredikatRecord | None:
    """The organisation predikat of a unit in a period, if BKPSDM has set it."""
    return await repository.organisation_predikat_of(session, unit_id=unit_id, period_id=period_id)


async def set_organisation_predikat(
    session: AsyncSession,
    *,
    outbox: Outbox,
    actor: Identity,
    unit_id: str,
    period_id: str,
    predikat: str,
    now: datetime,
) -> OrganisationPredikatRecord:
    """Set (or change, before the unit is finalised) a unit's organisation predikat."""
    access.require_admin(actor)
    period = await get_period(session, period_id=period_id)
    await get_unit(session, unit_id=unit_id)
    if period.state == PeriodState.CLOSED:
        raise Conflict("the period is closed")
    finalised = await assessments.final_count(session, unit_id=unit_id, period_id=period_id)
    if finalised:
        raise Conflict("the unit's assessments for this period are already final")
    row = await organisation_predikat(session, unit_id=unit_id, period_id=period_id)
    before = as_dict(row)
    if row is None:
        row = OrganisationPredikatRecord(
            unit_id=unit_id, period_id=period_id, predikat=predikat, set_by=actor.subject
        )
        session.add(row)
    row.predikat, row.set_by, row.set_at = predikat, actor.subject, now
    await session.flush()
    await record_change(
        session,
        actor=actor,
        action="organisation_predikat.set",
        entity_type="organisation_predikat",
        entity_id=row.id,
        before=before,
        after=as_dict(row),
        outbox=outbox,
        event=OrganisationPredikatSet(
            unit_id=unit_id,
            period_id=period_id,
            period_key=period.key,
            predikat=cast(PredikatOrganisasiValue, predikat),
        ),
    )
    return row


async def list_organisation_predikat(
    session: AsyncSession, *, actor: Identity, period_id: str
) -> Sequence[OrganisationPredikatRecord]:
    """Every unit's organisation predikat in a period (staff)."""
    access.require_staff(actor)
    await get_period(session, period_id=period_id)
    return await repository.organisation_predikats_in(session, period_id=period_id)


async def read_period(session: AsyncSession, *, actor: Identity, period_id: str) -> Period:
    """One period (staff)."""
    access.require_staff(actor)
    return await get_period(session, period_id=period_id)
