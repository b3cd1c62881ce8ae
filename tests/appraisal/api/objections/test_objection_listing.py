"""Listing objections by employee, and the employee dashboard that shows one employee's."""

from __future__ import annotations

import socket
from typing import Any

from appraisal.helpers import Finalised, World
from httpx import AsyncClient

from kinerja_appraisal.main import create_app
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_gateway.main import create_app as create_gateway
from kinerja_gateway.settings import GatewaySettings
from support.servers import serve


def nowhere() -> str:
    """A URL where no service listens (the dashboard's other services are down here)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def objecting(world: World) -> tuple[Finalised, dict[str, str]]:
    """A and B object to their final results; S reviews both. Objection ids by employee."""
    state = await Finalised.build(world)
    filed = {}
    for who in ("a", "b"):
        response = await world.client.post(
            f"/assessments/{state.assessments[who]}/objections",
            json={"reasons": "Saya keberatan"},
            headers=world.as_employee(getattr(state.team, who)),
        )
        assert response.status_code == 201, response.text
        filed[who] = response.json()["id"]
    return state, filed


async def listed(client: AsyncClient, headers: dict[str, str], **params: str) -> list[str]:
    response = await client.get("/objections", params=params, headers=headers)
    assert response.status_code == 200, response.text
    return [item["id"] for item in response.json()["items"]]


async def test_objections_filtered_by_employee_list_only_that_employees(
    client: AsyncClient, world: World
) -> None:
    state, filed = await objecting(world)
    reviewer = state.team.head(world, state.team.s)
    a, b = state.team.a["id"], state.team.b["id"]
    assert sorted(await listed(client, reviewer)) == sorted(filed.values())
    assert await listed(client, reviewer, employee_id=a) == [filed["a"]]
    assert await listed(client, reviewer, employee_id=b, state="filed") == [filed["b"]]
    assert await listed(client, world.admin, employee_id=a) == [filed["a"]]


async def test_filtering_by_another_employee_shows_nothing_the_caller_may_not_read(
    client: AsyncClient, world: World
) -> None:
    state, filed = await objecting(world)
    as_a = world.as_employee(state.team.a)
    assert await listed(client, as_a, employee_id=state.team.b["id"]) == []
    assert await listed(client, as_a, employee_id=state.team.a["id"]) == [filed["a"]]


async def test_the_reviewer_sees_on_an_employees_dashboard_only_that_employees_objection(
    client: AsyncClient, world: World, database_url: str
) -> None:
    state, filed = await objecting(world)
    service = create_app(
        AppraisalSettings(
            database_url=database_url,
            run_relay=False,
            run_consumers=False,
            kafka={"bootstrap_servers": "127.0.0.1:1"},
        )
    )
    async with serve(service) as appraisal_url:
        gateway_settings = GatewaySettings(
            appraisal_url=appraisal_url,
            feedback_url=nowhere(),
            reporting_url=nowhere(),
            kafka={"bootstrap_servers": "127.0.0.1:1"},
        )
        async with (
            serve(create_gateway(gateway_settings)) as gateway_url,
            AsyncClient(base_url=gateway_url, timeout=10) as gateway,
        ):
            response = await gateway.get(
                f"/api/v1/dashboard/employee/{state.team.a['id']}",
                params={"period": "2026-Q1"},
                headers=state.team.head(world, state.team.s),
            )
    assert response.status_code == 200, response.text
    part: dict[str, Any] = response.json()["parts"]["open_objections"]
    assert [item["id"] for item in part["items"]] == [filed["a"]]
    assert {item["employee_id"] for item in part["items"]} == {state.team.a["id"]}
