"""Employees reach the read model from both versions of employee.upserted, never by name."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from reporting.feeding import Feeder, unit
from sqlalchemy import select

from kinerja_reporting.models import EMPLOYEE
from kinerja_shared.events.types.appraisal import (
    AssessmentFinalized,
    EmployeeUpserted,
    EmployeeUpsertedV1,
)
from kinerja_shared.runtime import ServiceRuntime

URL = "/api/v1/reporting/performance/development-needs"


def assessed(employee_id: str) -> AssessmentFinalized:
    return AssessmentFinalized(
        assessment_id=f"a-{employee_id}",
        employee_id=employee_id,
        unit_id="u1",
        appraiser_id="boss",
        period_id="p2026",
        period_key="2026",
        period_kind="annual",
        hasil="di_bawah",
        perilaku="di_bawah",
        predikat="sangat_kurang",
        finalized_at=datetime(2026, 12, 20, tzinfo=UTC),
    )


async def test_an_old_v1_record_and_a_v2_one_both_list_the_employee_by_staff_code_only(
    client: httpx.AsyncClient,
    feeder: Feeder,
    runtime: ServiceRuntime,
    analyst: dict[str, str],
) -> None:
    await feeder.send(unit("u1"))
    await feeder.send(
        EmployeeUpsertedV1(
            employee_id="e1",
            staff_code="S-1",
            display_name="Ni Kadek Ayu",
            kind="pns",
            position="Analis",
            unit_id="u1",
        ),
        EmployeeUpserted(
            employee_id="e2", staff_code="S-2", kind="pppk", position="Operator", unit_id="u1"
        ),
        assessed("e1"),
        assessed("e2"),
    )
    response = await client.get(URL, params={"period": "2026"}, headers=analyst)
    assert response.status_code == 200, response.text
    listed = {(i["employee_id"], i["staff_code"]) for i in response.json()["items"]}
    assert listed == {("e1", "S-1"), ("e2", "S-2")}
    assert "Ni Kadek Ayu" not in response.text
    async with runtime.sessions() as session:
        stored = (await session.execute(select(EMPLOYEE))).all()
    assert len(stored) == 2
    assert "Ni Kadek Ayu" not in str(stored)
