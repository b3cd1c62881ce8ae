"""Use cases of periods: creation without overlap, the state machine, organisation predikat."""

from __future__ import annotations

from collections.abc import Sequence
from typing import cast

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.audit.service import record
from kinerja_appraisal.domain import AppraisalRuleError, PeriodAction, PeriodState
from kinerja_appraisal.domain import next_period_state as next_state
from kinerja_appraisal.errors import rule_problem
from kinerja_appraisal.models import Assessment, OrganisationPredikatRecord, Period
from kinerja_appraisal.organisation.service import get_unit
from kinerja_appraisal.pagination import PageParams
from kinerja_appraisal.periods.calendar import period_key, period_span
from kinerja_appraisal.periods.schemas import PeriodCreate
from kinerja_appraisal.state import as_dict
from kinerja_shared.auth import Identity
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.events.types.appraisal import (
    OrganisationPredikat,
    OrganisationPredikatSet,
    PeriodClosed,
    PeriodKind,
    PeriodOpened,
)
from kinerja_shared.outbox import Outbox
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
        mixed = await session.scalar(
            select(Period.key).where(Period.kind == other, Period.year == data.year)
        )
        if mixed is not None:
            raise Conflict(
                f"{data.year} already has {other} periods (such as {mixed}); the periods of"
                f" a year are either monthly or quarterly",
                field="body.kind",
                extra={"conflicting_period_key": mixed},
            )
    overlapping = await session.scalar(
        select(Period.key).where(
            Period.kind == data.kind, Period.starts_on <= ends_on, Period.ends_on >= starts_on
        )
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
    await record(
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
) -> Period:
    """Start a period, begin its assessment or close it (409 for an illegal move)."""
    period = await get_period(session, period_id=period_id)
    before = as_dict(period)
    try:
        state = next_state(PeriodState(period.state), action)
    except AppraisalRuleError as exc:
        raise rule_problem(exc) from exc
    now = utcnow()
    if action is PeriodAction.CLOSE:
        drafts = await session.scalar(
            select(func.count())
            .select_from(Assessment)
            .where(Assessment.period_id == period.id, Assessment.state == "draft")
        )
        if drafts:
            raise Conflict(
                f"{drafts} assessment(s) of this period are still drafts; finalise every"
                " unit first",
                extra={"draft_assessments": int(drafts)},
            )
        period.closed_at = now
    if action is PeriodAction.START:
        period.opened_at = now
    period.state = state
    await record(
        session,
        actor=actor,
        action=f"period.{action}",
        entity_type="period",
        entity_id=period.id,
        before=before,
        after=as_dict(period),
    )
    kind = cast(PeriodKind, period.kind)
    if action is PeriodAction.START:
        await outbox.add(
            session,
            PeriodOpened(
                period_id=period.id,
                period_key=period.key,
                kind=kind,
                year=period.year,
                starts_on=period.starts_on,
                ends_on=period.ends_on,
            ),
        )
    if action is PeriodAction.CLOSE:
        await outbox.add(
            session,
            PeriodClosed(
                period_id=period.id,
                period_key=period.key,
                kind=kind,
                year=period.year,
                closed_at=now,
            ),
        )
    return period


async def list_periods(
    session: AsyncSession,
    *,
    page: PageParams,
    year: int | None = None,
    kind: str | None = None,
    state: str | None = None,
) -> tuple[Sequence[Period], int]:
    """Periods filtered by year, kind and state, latest first."""
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


async def organisation_predikat(
    session: AsyncSession, *, unit_id: str, period_id: str
) -> OrganisationPredikatRecord | None:
    """The organisation predikat of a unit in a period, if BKPSDM has set it."""
    return await session.scalar(
        select(OrganisationPredikatRecord).where(
            OrganisationPredikatRecord.unit_id == unit_id,
            OrganisationPredikatRecord.period_id == period_id,
        )
    )


async def set_organisation_predikat(
    session: AsyncSession,
    *,
    outbox: Outbox,
    actor: Identity,
    unit_id: str,
    period_id: str,
    predikat: str,
) -> OrganisationPredikatRecord:
    """Set (or change, before the unit is finalised) a unit's organisation predikat."""
    period = await get_period(session, period_id=period_id)
    await get_unit(session, unit_id=unit_id)
    if period.state == PeriodState.CLOSED:
        raise Conflict("the period is closed")
    finalised = await session.scalar(
        select(func.count())
        .select_from(Assessment)
        .where(
            Assessment.unit_id == unit_id,
            Assessment.period_id == period_id,
            Assessment.state != "draft",
        )
    )
    if finalised:
        raise Conflict("the unit's assessments for this period are already final")
    row = await organisation_predikat(session, unit_id=unit_id, period_id=period_id)
    before = as_dict(row)
    if row is None:
        row = OrganisationPredikatRecord(
            unit_id=unit_id, period_id=period_id, predikat=predikat, set_by=actor.subject
        )
        session.add(row)
    row.predikat, row.set_by, row.set_at = predikat, actor.subject, utcnow()
    await session.flush()
    await record(
        session,
        actor=actor,
        action="organisation_predikat.set",
        entity_type="organisation_predikat",
        entity_id=row.id,
        before=before,
        after=as_dict(row),
    )
    await outbox.add(
        session,
        OrganisationPredikatSet(
            unit_id=unit_id,
            period_id=period_id,
            period_key=period.key,
            predikat=cast(OrganisationPredikat, predikat),
        ),
    )
    return row


async def list_organisation_predikat(
    session: AsyncSession, *, period_id: str
) -> Sequence[OrganisationPredikatRecord]:
    """Every unit's organisation predikat in a period."""
    await get_period(session, period_id=period_id)
    rows = await session.scalars(
        select(OrganisationPredikatRecord).where(OrganisationPredikatRecord.period_id == period_id)
    )
    return rows.all()
