"""Employee feedback summaries: counted from the minimum responses, published when changed."""

from __future__ import annotations

from datetime import timedelta

import httpx
from reporting.conftest import token
from reporting.feeding import NOW, Feeder, feedback, service_point, source_of, unit, withdrawn
from reporting.projections.test_flags import published

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.runtime import ServiceRuntime


async def test_summary_shows_means_only_from_the_minimum_responses(
    feeder: Feeder, runtime: ServiceRuntime, client: httpx.AsyncClient, settings: ReportingSettings
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    staff = [
        feedback("sp1", "u1", {"U6": 4, "U7": 3}, employee_id="e1", overall=5) for _ in range(4)
    ]
    await feeder.send(*staff)
    events = await published(runtime, "feedback_summary.published")
    month = [e for e in events if e["period_key"] == "2026-03"]
    assert [e["responses"] for e in month] == [1, 2, 3, 4]
    assert month[-1]["sufficient"] is False
    assert month[-1]["u6_mean"] is None
    await feeder.send(feedback("sp1", "u1", {"U6": 3, "U7": 3}, employee_id="e1", overall=4))
    latest = (await published(runtime, "feedback_summary.published"))[-3:]
    assert {e["period_key"] for e in latest} == {"2026-03", "2026-Q1", "2026"}
    assert latest[0]["sufficient"] is True
    assert latest[0]["u6_mean"] == "3.80"
    assert latest[0]["u7_mean"] == "3.00"
    assert latest[0]["overall_rating_mean"] == "4.80"
    own = token(settings, "employee", employee_id="e1")
    body = (
        await client.get(
            "/api/v1/reporting/summaries/employees/e1", params={"period": "2026"}, headers=own
        )
    ).json()
    assert body["responses"] == 5
    assert body["u6_mean"] == "3.80"
    await feeder.send(withdrawn(staff[0]))
    body = (
        await client.get(
            "/api/v1/reporting/summaries/employees/e1", params={"period": "2026"}, headers=own
        )
    ).json()
    assert body["responses"] == 4
    assert body["sufficient"] is False
    other = token(settings, "employee", employee_id="e2")
    refused = await client.get(
        "/api/v1/reporting/summaries/employees/e1", params={"period": "2026"}, headers=other
    )
    assert refused.status_code == 403


async def test_a_later_summary_never_carries_an_older_computed_at_than_an_earlier_one(
    feeder: Feeder, runtime: ServiceRuntime
) -> None:
    """Events of one employee come from several partitions in any order; the appraisal
    service keeps the summary with the latest computed_at, so it must follow publication."""
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    staff = [feedback("sp1", "u1", {"U6": 4}, employee_id="e9") for _ in range(3)]
    # Applied newest first: each event's own time is earlier than the one before it.
    for n, payload in enumerate(staff):
        event = payload.to_event(source=source_of(payload), time=NOW - timedelta(hours=n))
        await feeder.deliver(event, key=payload.feedback_id)
    month = [
        e
        for e in await published(runtime, "feedback_summary.published")
        if e["period_key"] == "2026-03" and e["employee_id"] == "e9"
    ]
    assert [e["responses"] for e in month] == [1, 2, 3]
    times = [e["computed_at"] for e in month]
    assert times == sorted(times)
