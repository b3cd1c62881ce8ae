"""Units needing improvement: flags raised and cleared by events, each with an event."""

from __future__ import annotations

from datetime import date

import httpx
from reporting.conftest import token
from reporting.feeding import (
    Feeder,
    all_nine,
    feedback,
    service_point,
    service_users,
    unit,
    withdrawn,
)
from sqlalchemy import select

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.catalogue import CATALOGUE
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.runtime import ServiceRuntime


async def published(runtime: ServiceRuntime, name: str) -> list[dict]:
    """Payloads of one event type in the outbox, oldest first."""
    outbox = runtime.tables.outbox
    async with runtime.sessions() as session:
        rows = (
            await session.execute(
                select(outbox.c.payload, outbox.c.event_type).order_by(outbox.c.id)
            )
        ).all()
    wanted = next(t.type for t in CATALOGUE if t.name == name)
    return [CloudEvent.from_json(r.payload).data for r in rows if r.event_type == wanted]


async def test_a_band_c_unit_is_flagged_and_cleared_when_it_recovers(
    feeder: Feeder, runtime: ServiceRuntime
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    low = feedback("sp1", "u1", all_nine(2))  # IKM 50.00, band D
    await feeder.send(low)
    raised = await published(runtime, "unit.improvement_required")
    assert {e["period_key"] for e in raised} == {"2026-03", "2026-Q1", "2026"}
    assert raised[0]["reasons"][0]["code"] == "low_band"
    assert raised[0]["band"] == "D"
    await feeder.send(withdrawn(low), feedback("sp1", "u1", all_nine(4)))
    cleared = await published(runtime, "unit.improvement_cleared")
    assert {e["period_key"] for e in cleared} == {"2026-03", "2026-Q1", "2026"}


async def test_a_drop_of_five_points_with_adequate_samples_flags_the_unit(
    feeder: Feeder, runtime: ServiceRuntime, client: httpx.AsyncClient, settings: ReportingSettings
) -> None:
    await feeder.send(unit("u1"), unit("u2"), service_point("sp1", "u1"))
    await feeder.send(service_users("u1", "2026-02", 2), service_users("u1", "2026-03", 2))
    feb, mar = date(2026, 2, 3), date(2026, 3, 3)
    await feeder.send(*[feedback("sp1", "u1", all_nine(4), visit=feb) for _ in range(2)])
    # March: 100 -> 93.06 (U1-U5 at 3.5: drop 6.94, band A); 2 of 2 users answered each month.
    await feeder.send(
        feedback("sp1", "u1", all_nine(4), visit=mar),
        feedback("sp1", "u1", {f"U{i}": 4 if i > 5 else 3 for i in range(1, 10)}, visit=mar),
    )
    raised = [
        e
        for e in await published(runtime, "unit.improvement_required")
        if e["period_key"] == "2026-03"
    ]
    assert raised[-1]["reasons"][0]["code"] == "ikm_drop"
    assert raised[-1]["reasons"][0]["drop"] == "6.94"
    head = token(settings, "unit_head", unit_code="u1")
    listed = await client.get("/api/v1/reporting/flags", params={"period": "2026-03"}, headers=head)
    assert listed.status_code == 200
    assert [i["unit_id"] for i in listed.json()["items"]] == ["u1"]
    other_head = token(settings, "unit_head", unit_code="u2")
    hidden = await client.get(
        "/api/v1/reporting/flags", params={"period": "2026-03"}, headers=other_head
    )
    assert hidden.json()["items"] == []
    # Fewer users reported now: the sample is inadequate, so the drop no longer flags.
    await feeder.send(service_users("u1", "2026-03", 1000))
    cleared = await published(runtime, "unit.improvement_cleared")
    assert [e["period_key"] for e in cleared] == ["2026-03"]


async def test_flags_filtered_by_unit_list_only_that_units_subtree(
    feeder: Feeder, client: httpx.AsyncClient, settings: ReportingSettings
) -> None:
    await feeder.send(unit("k1"), unit("u1", parent_id="k1"), unit("u2"))
    await feeder.send(service_point("sp1", "u1"), service_point("sp2", "u2"))
    await feeder.send(feedback("sp1", "u1", all_nine(2)), feedback("sp2", "u2", all_nine(2)))
    analyst = token(settings, "analyst")

    async def flagged(**params: str) -> set[str]:
        response = await client.get(
            "/api/v1/reporting/flags", params={"period": "2026-03", **params}, headers=analyst
        )
        assert response.status_code == 200, response.text
        return {i["unit_id"] for i in response.json()["items"]}

    assert await flagged() == {"u1", "u2"}
    assert await flagged(unit_id="k1") == {"u1"}
    assert await flagged(unit_id="u2") == {"u2"}


async def test_a_unit_head_filtering_flags_by_a_unit_outside_their_subtree_is_refused(
    feeder: Feeder, client: httpx.AsyncClient, settings: ReportingSettings
) -> None:
    await feeder.send(unit("u1"), unit("u2"))
    head = token(settings, "unit_head", unit_code="u1")
    response = await client.get("/api/v1/reporting/flags", params={"unit_id": "u2"}, headers=head)
    assert response.status_code == 403
    assert response.json()["errors"][0]["field"] == "unit_id"
