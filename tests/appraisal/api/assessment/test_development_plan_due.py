"""Development plans fall due counting from the WITA date of finalisation."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from appraisal.helpers import Finalised, World
from fastapi import FastAPI
from httpx import AsyncClient

from kinerja_appraisal.dependencies import current_time


async def test_a_plan_opened_after_midnight_wita_counts_from_the_wita_date(
    app: FastAPI, client: AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 31 March 17:30 UTC is 1 April 01:30 in Denpasar. Was 2026-06-29 (from 31 March).
    moment = datetime(2026, 3, 31, 17, 30, tzinfo=UTC)

    async def clock() -> datetime:
        return moment

    monkeypatch.setitem(app.dependency_overrides, current_time, clock)
    state = await Finalised.build(world)
    plans = await client.get(
        "/development-plans", params={"employee_id": state.team.c["id"]}, headers=world.admin
    )
    (plan,) = plans.json()["items"]
    assert plan["due_on"] == "2026-06-30"
    assert {training["due_on"] for training in plan["trainings"]} == {"2026-06-30"}
