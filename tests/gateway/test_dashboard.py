"""Composite views: parts fetched in parallel, partial results with notes."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx


async def test_an_employee_dashboard_joins_the_parts_with_the_callers_token(
    gateway: httpx.AsyncClient, token: Callable[..., str]
) -> None:
    jwt = token("supervisor")
    response = await gateway.get(
        "/api/v1/dashboard/employee/e-17", headers={"Authorization": f"Bearer {jwt}"}
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["complete"] is True
    assert body["notes"] == []
    year = str(datetime.now(UTC).year)
    assert body["subject"] == {"employee_id": "e-17", "period": year, "year": year}
    assert body["parts"]["plan"]["service"] == "appraisal"
    assert body["parts"]["feedback_summary"]["service"] == "reporting"
    assert body["parts"]["plan"]["authorization"] == f"Bearer {jwt}"


async def test_a_down_service_leaves_its_parts_empty_with_a_note(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]], free_url: str
) -> None:
    async with start_gateway(reporting_url=free_url) as gateway:
        response = await gateway.get("/api/v1/dashboard/employee/e-17", headers=auth("employee"))
    assert response.status_code == 200
    body = response.json()
    assert body["complete"] is False
    assert body["parts"]["plan"]["employee_id"] == "e-17"
    assert body["parts"]["feedback_summary"] is None
    assert body["notes"] == ["feedback_summary: the reporting service is unavailable"]


async def test_a_part_the_service_does_not_know_is_noted_as_not_found(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = await gateway.get("/api/v1/dashboard/employee/missing", headers=auth("employee"))
    body = response.json()
    assert body["parts"] == {"plan": None, "feedback_summary": None}
    assert body["notes"] == [
        "plan: not found in the appraisal service",
        "feedback_summary: not found in the reporting service",
    ]


async def test_a_slow_part_times_out_into_a_note(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    parts = {
        "late": "appraisal:/api/v1/appraisal/slow?unit={unit_id}",
        "ikm": "reporting:/api/v1/reporting/flaky?unit={unit_id}",
    }
    async with start_gateway(dashboard_unit_parts=parts, dashboard_part_timeout_seconds=0.2) as gw:
        response = await gw.get("/api/v1/dashboard/unit/k-1", headers=auth("unit_head"))
    body = response.json()
    assert body["parts"] == {"late": None, "ikm": {"status": 200}}
    assert body["notes"] == ["late: the appraisal service did not answer within 0.2 s"]


async def test_a_unit_dashboard_needs_a_staff_token(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    assert (await gateway.get("/api/v1/dashboard/unit/k-1")).status_code == 401
    citizen = await gateway.get("/api/v1/dashboard/unit/k-1", headers=auth("citizen"))
    assert citizen.status_code == 403
    assert citizen.headers["content-type"] == "application/problem+json"
    ok = await gateway.get("/api/v1/dashboard/unit/k-1", headers=auth("unit_head"))
    assert ok.json()["parts"]["ikm"]["employee_id"] == "k-1"


async def test_an_id_that_is_not_a_plain_segment_is_a_422_naming_the_field(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = await gateway.get("/api/v1/dashboard/employee/e%20x%3F", headers=auth("employee"))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "path.employee_id"


async def test_the_period_reaches_the_parts_and_a_malformed_one_is_a_422(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    response = await gateway.get(
        "/api/v1/dashboard/employee/e-1", params={"period": "2026-Q2"}, headers=auth("employee")
    )
    assert response.json()["parts"]["plan"]["query"] == "year=2026"
    bad = await gateway.get(
        "/api/v1/dashboard/employee/e-1", params={"period": "2026-13"}, headers=auth("employee")
    )
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["field"] == "query.period"


async def test_an_external_system_sees_only_the_parts_its_scopes_cover(
    gateway: httpx.AsyncClient, auth: Callable[..., dict[str, str]]
) -> None:
    headers = auth("external_system", scopes=["reports:read"], client_id="payroll")
    body = (await gateway.get("/api/v1/dashboard/employee/e-3", headers=headers)).json()
    assert body["parts"]["plan"] is None
    assert body["parts"]["feedback_summary"]["employee_id"] == "e-3"
    assert body["notes"] == ["plan: this route needs the scope appraisal:read"]
