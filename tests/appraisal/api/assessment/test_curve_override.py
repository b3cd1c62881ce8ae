"""Units whose kurva cannot be kept: the check says so, and BKPSDM may override it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from appraisal.helpers import Team, World, headers, outbox_events, ratings
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import select

from kinerja_appraisal.models import AuditEntry
from kinerja_shared.runtime import ServiceRuntime

REASON = "Unit satu pegawai: kurva Kurang tidak mungkin dipenuhi"


@dataclass
class SmallUnit:
    """Unit U whose only employee is its head H; S heads the root and appraises H."""

    unit: dict[str, Any]
    h: dict[str, Any]
    s: dict[str, Any]
    period: dict[str, Any]

    def finalize_url(self) -> str:
        """The unit's finalisation route."""
        return f"/periods/{self.period['id']}/units/{self.unit['id']}/finalize"


async def one_employee_unit_under(world: World, organisation: str) -> SmallUnit:
    """H alone in U, assessed (Hasil from the organisation predikat, Perilaku Sesuai)."""
    client = world.client
    root = await world.unit(name="Sekretariat Daerah", kind="other")
    unit = await world.unit(name="UPT Kecil", parent_id=root["id"])
    s = await world.employee(root, name="Sekda")
    h = await world.employee(unit, name="Kepala UPT", supervisor_id=s["id"])
    for u, head in ((root, s), (unit, h)):
        response = await client.patch(
            f"/units/{u['id']}", json={"head_employee_id": head["id"]}, headers=world.admin
        )
        assert response.status_code == 200, response.text
    period = await world.period()
    await world.advance(period, "start", "begin-assessment")
    response = await client.put(
        f"/periods/{period['id']}/units/{unit['id']}/organisation-predikat",
        json={"predikat": organisation},
        headers=world.admin,
    )
    assert response.status_code == 200, response.text
    body = {"employee_id": h["id"], "period_id": period["id"], **ratings(None)}
    as_s = headers(world.settings, "employee", "supervisor", "unit_head", employee_id=s["id"])
    response = await client.post("/assessments", json=body, headers=as_s)
    assert response.status_code == 201, response.text
    return SmallUnit(unit=unit, h=h, s=s, period=period)


@pytest.mark.parametrize("organisation", ["kurang", "sangat_kurang"])
async def test_the_refusal_says_the_curve_cannot_be_kept_by_a_unit_of_one(
    client: AsyncClient, world: World, organisation: str
) -> None:
    # Was a 409 listing the broken constraints only, with no way forward.
    small = await one_employee_unit_under(world, organisation)
    response = await client.post(small.finalize_url(), headers=world.admin)
    assert response.status_code == 409, response.text
    problem = response.json()
    assert problem["curve_possible"] is False
    assert problem["override_allowed"] is True
    assert "cannot be kept by a unit of 1 employee" in problem["detail"]


async def test_bkpsdm_finalises_an_impossible_curve_with_a_reason_and_the_period_closes(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    # Was 409 for ever: the unit, and so the period, could never be finalised.
    small = await one_employee_unit_under(world, "kurang")
    response = await client.post(
        small.finalize_url(), json={"curve_override_reason": REASON}, headers=world.admin
    )
    assert response.status_code == 200, response.text
    (exception,) = response.json()["curve_exceptions"]
    assert (exception["kind"], exception["reason"], exception["curve_possible"]) == (
        "bkpsdm_override",
        REASON,
        False,
    )
    assert [v["code"] for v in exception["violations"]] == ["kurang_min_60"]

    report = await client.get(
        f"/periods/{small.period['id']}/units/{small.unit['id']}/distribution",
        headers=world.admin,
    )
    assert report.json()["exceptions"] == [exception]
    (event,) = [
        e for e in await outbox_events(client) if e["type"].endswith("curve_exception.recorded.v1")
    ]
    assert (event["data"]["kind"], event["data"]["reason"]) == ("bkpsdm_override", REASON)
    runtime: ServiceRuntime = app.state.runtime
    async with runtime.sessions() as session:
        audit = (
            await session.scalars(select(AuditEntry).where(AuditEntry.entity_id == exception["id"]))
        ).one()
    assert (audit.action, audit.actor) == ("kurva.bkpsdm_override", "bkpsdm")
    closed = await client.post(f"/periods/{small.period['id']}/close", headers=world.admin)
    assert closed.status_code == 200, closed.text


async def test_only_bkpsdm_may_override_the_curve(client: AsyncClient, world: World) -> None:
    small = await one_employee_unit_under(world, "sangat_kurang")
    as_head = headers(
        world.settings, "employee", "supervisor", "unit_head", employee_id=small.h["id"]
    )
    response = await client.post(
        small.finalize_url(), json={"curve_override_reason": REASON}, headers=as_head
    )
    assert response.status_code == 403, response.text
    assert response.json()["errors"][0]["field"] == "body.curve_override_reason"


async def test_a_curve_a_unit_of_four_can_keep_cannot_be_overridden(
    client: AsyncClient, world: World
) -> None:
    team = await Team.build(world)
    period = await world.period()
    await world.advance(period, "start", "begin-assessment")
    await client.put(
        f"/periods/{period['id']}/units/{team.unit['id']}/organisation-predikat",
        json={"predikat": "baik"},
        headers=world.admin,
    )
    for who in ("a", "b", "c"):
        body = {"employee_id": getattr(team, who)["id"], "period_id": period["id"]}
        await client.post(
            "/assessments", json={**body, **ratings("sesuai")}, headers=team.head(world, team.h)
        )
    body = {"employee_id": team.h["id"], "period_id": period["id"], **ratings(None)}
    await client.post("/assessments", json=body, headers=team.head(world, team.s))
    response = await client.post(
        f"/periods/{period['id']}/units/{team.unit['id']}/finalize",
        json={"curve_override_reason": "semua bekerja baik"},
        headers=world.admin,
    )
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["field"] == "body.curve_override_reason"
    assert response.json()["override_allowed"] is False
