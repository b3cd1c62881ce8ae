"""Who may read an employee's history (the unit is looked up only for unit heads)."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from reporting.conftest import token
from reporting.feeding import Feeder, unit

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.types.appraisal import AssessmentFinalized, EmployeeUpserted

URL = "/api/v1/reporting/performance/employees"


async def test_the_employee_readers_and_heads_above_the_unit_read_it_no_one_else(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await feeder.send(unit("root"), unit("a", "root"), unit("b", "root"), unit("a1", "a"))
    await feeder.send(
        EmployeeUpserted(
            employee_id="e1",
            staff_code="S-1",
            kind="pns",
            position="Analis",
            unit_id="a1",
        ),
        AssessmentFinalized(
            assessment_id="x1",
            employee_id="e1",
            unit_id="a1",
            appraiser_id="boss",
            period_id="p2026",
            period_key="2026",
            period_kind="annual",
            hasil="sesuai",
            perilaku="sesuai",
            predikat="baik",
            finalized_at=datetime(2026, 12, 20, tzinfo=UTC),
        ),
    )
    allowed = {
        "own": token(settings, "employee", employee_id="e1"),
        "analyst": token(settings, "analyst"),
        "admin": token(settings, "bkpsdm_admin"),
        "external": token(settings, "external_system", scopes="reports:read"),
        "head of root": token(settings, "unit_head", unit_code="root"),
        "head of a": token(settings, "unit_head", unit_code="a"),
        "head of a1": token(settings, "unit_head", unit_code="a1"),
    }
    refused = {
        "another employee": token(settings, "employee", employee_id="e2"),
        "head of b": token(settings, "unit_head", unit_code="b"),
        "external without scope": token(settings, "external_system"),
    }
    bodies = set()
    for who, headers in allowed.items():
        response = await client.get(f"{URL}/e1/history", headers=headers)
        assert response.status_code == 200, (who, response.text)
        bodies.add(response.content)
    assert len(bodies) == 1
    for who, headers in refused.items():
        response = await client.get(f"{URL}/e1/history", headers=headers)
        assert response.status_code == 403, (who, response.text)
