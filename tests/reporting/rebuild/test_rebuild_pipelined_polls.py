"""A rebuild fetching many small polls (each fetched while the previous one is applied)
reproduces the reports live consumption built, on the real broker."""

from __future__ import annotations

from datetime import date

import httpx
import pytest
from fastapi import FastAPI
from reporting.conftest import token
from reporting.events.test_kafka_end_to_end import URL, live_app, publish, snapshot
from reporting.feeding import (
    all_nine,
    feedback,
    moderated,
    service_point,
    service_users,
    unit,
    withdrawn,
)

from kinerja_reporting.rebuild import service as rebuild_service
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.types.appraisal import AssessmentFinalized
from support.common import eventually
from support.gateway_assertion import AsGateway

pytestmark = pytest.mark.kafka

__all__ = ["live_app"]


async def test_a_rebuild_in_many_pipelined_polls_equals_live_consumption(
    live_app: FastAPI, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings: ReportingSettings = live_app.state.settings
    analyst = token(settings, "analyst")
    admin = token(settings, "bkpsdm_admin")
    submitted = [
        feedback("sp1", "u1", all_nine(1 + i % 4), employee_id="e1", visit=date(2026, 3, 1 + i))
        for i in range(12)
    ]
    # Later events of a feedback land several polls after its submission (same partition):
    # applied out of order they would leave different totals.
    # Each unit, service point and assessment changes after it first appears, within what a
    # rebuild applies as one batch: applied out of order, the older state would win.
    await publish(
        live_app,
        unit("root"),
        unit("u1", "root", name="Old name"),
        service_point("sp1", "u1"),
        unit("u1", "root"),
        *submitted,
        service_users("u1", "2026-03", 40),
        *[withdrawn(fb) for fb in submitted[:3]],
        *[moderated(fb, counted=False) for fb in submitted[3:6]],
        *[moderated(fb, counted=True) for fb in submitted[3:4]],
        *[
            AssessmentFinalized(
                assessment_id=f"a{i}",
                employee_id=f"e{i}",
                unit_id="u1",
                appraiser_id="boss",
                period_id="p2026",
                period_key="2026",
                period_kind="annual",
                hasil="sesuai",
                perilaku="sesuai",
                predikat=predikat,
                finalized_at=submitted[0].submitted_at,
            )
            for i in range(3)
            for predikat in ("kurang", "baik")
        ],
    )
    total = 4 + len(submitted) + 1 + 3 + 3 + 1 + 6
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=live_app),
        base_url="http://reporting",
        auth=AsGateway("reporting"),
    ) as client:

        async def all_consumed() -> bool:
            consumer = live_app.state.runtime.consumers[0]
            return bool(consumer.stats.processed >= total)

        await eventually(all_consumed, message="live consumption did not finish")
        before = await snapshot(client, analyst)
        assert before["units 2026-03"]["items"], before
        assert "Old name" not in str(before["units 2026-03"])
        assert before["distribution"]["counts"].get("baik") == 3, before["distribution"]
        assert not before["distribution"]["counts"].get("kurang"), before["distribution"]

        monkeypatch.setattr(rebuild_service, "FETCH_RECORDS", 2)
        started = await client.post(f"{URL}/admin/rebuild", headers=admin)
        assert started.status_code == 202

        async def rebuilt() -> bool:
            body = (await client.get(f"{URL}/admin/rebuild", headers=admin)).json()
            return body["state"] in {"done", "failed"}

        await eventually(rebuilt, message="the rebuild did not finish")
        progress = (await client.get(f"{URL}/admin/rebuild", headers=admin)).json()
        assert progress["state"] == "done", progress
        assert progress["events_replayed"] == progress["events_total"] == total
        assert progress["events_failed"] == 0
        assert await snapshot(client, analyst) == before
