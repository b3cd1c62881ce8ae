"""Seeding the demo organisation and a running period, through the normal use cases."""

from __future__ import annotations

from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.domain import PeriodAction
from kinerja_appraisal.imports.service import import_employees, import_units
from kinerja_appraisal.organisation import repository as organisation
from kinerja_appraisal.periods.schemas import PeriodCreate
from kinerja_appraisal.periods.service import advance_period, create_period
from kinerja_appraisal.seed.denpasar import build
from kinerja_shared.auth import Identity, Role
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.outbox import Outbox

SEEDER = Identity(subject="seed-demo", roles=frozenset({Role.BKPSDM_ADMIN}))


async def seed_demo(session: AsyncSession, *, outbox: Outbox, today: date) -> dict[str, int]:
    """Seed units, employees and this year's running periods; nothing if data exists."""
    if await organisation.any_unit_exists(session):
        return {}
    demo = build()
    now = utcnow()
    units = await import_units(
        session, outbox=outbox, actor=SEEDER, rows=demo.units, import_valid=False, now=now
    )
    employees = await import_employees(
        session, outbox=outbox, actor=SEEDER, rows=demo.employees, import_valid=False, now=now
    )
    if units.errors or employees.errors:
        raise RuntimeError(f"demo data is invalid: {(units.errors + employees.errors)[:3]}")
    quarter = (today.month - 1) // 3 + 1
    for data in (
        PeriodCreate(kind="annual", year=today.year),
        PeriodCreate(kind="quarterly", year=today.year, number=quarter),
    ):
        period = await create_period(session, actor=SEEDER, data=data)
        await advance_period(
            session,
            outbox=outbox,
            actor=SEEDER,
            period_id=period.id,
            action=PeriodAction.START,
            now=now,
        )
    return {"units": units.created, "employees": employees.created, "periods": 2}
