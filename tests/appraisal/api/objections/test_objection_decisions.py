"""Objection decisions: both sides heard first, and a decision that breaks the kurva."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from appraisal.helpers import Finalised, World, hear_appraiser, outbox_events
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from kinerja_appraisal.models import Objection
from kinerja_shared.runtime import ServiceRuntime

CHANGE_TO_BAIK = {
    "decision": "changed",
    "reasons": "Bukti pelayanan baru diterima",
    "hasil": "sesuai",
    "perilaku": "sesuai",
}


async def file_for_c(world: World, state: Finalised) -> dict[str, Any]:
    """C (Butuh Perbaikan) objects; S, H's supervisor, reviews."""
    response = await world.client.post(
        f"/assessments/{state.assessments['c']}/objections",
        json={"reasons": "Hasil kerja saya sesuai ekspektasi"},
        headers=world.as_employee(state.team.c),
    )
    assert response.status_code == 201, response.text
    return dict(response.json())


async def test_a_decision_before_the_appraiser_was_heard_is_refused_naming_the_statement(
    client: AsyncClient, world: World
) -> None:
    # Was 200: the reviewer could decide without the appraiser's side.
    state = await Finalised.build(world)
    objection = await file_for_c(world, state)
    response = await client.post(
        f"/objections/{objection['id']}/decide",
        json=CHANGE_TO_BAIK,
        headers=state.team.head(world, state.team.s),
    )
    assert response.status_code == 409, response.text
    assert response.json()["errors"][0]["field"] == "appraiser_statement"
    unchanged = await client.get(f"/objections/{objection['id']}", headers=world.admin)
    assert unchanged.json()["state"] == "filed"


async def test_the_statement_is_recorded_with_when_it_was_given(
    client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    objection = await file_for_c(world, state)
    await hear_appraiser(world, state.team, objection["id"])
    body = (await client.get(f"/objections/{objection['id']}", headers=world.admin)).json()
    assert body["appraiser_statement"] == "Penilaian sesuai catatan"
    assert body["appraiser_statement_at"] is not None
    assert body["statement_due_at"] > body["filed_at"]
    assert body["appraiser_no_answer_at"] is None


async def test_after_the_appraisers_time_a_decision_records_that_they_did_not_answer(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    objection = await file_for_c(world, state)
    runtime: ServiceRuntime = app.state.runtime
    async with runtime.sessions() as session, session.begin():
        await session.execute(
            update(Objection)
            .where(Objection.id == objection["id"])  # type: ignore[arg-type]
            .values(statement_due_at=datetime.now(UTC) - timedelta(minutes=1))
        )
    decided = await client.post(
        f"/objections/{objection['id']}/decide",
        json={"decision": "upheld", "reasons": "Sesuai bukti"},
        headers=state.team.head(world, state.team.s),
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["appraiser_statement"] is None
    assert decided.json()["appraiser_no_answer_at"] is not None
    history = await client.get(
        f"/assessments/{state.assessments['c']}/history", headers=world.admin
    )
    actions = [entry["action"] for entry in history.json()]
    assert actions[-2:] == ["objection.no_statement", "objection.upheld"]


async def test_a_decision_that_breaks_the_kurva_stands_as_a_reasoned_exception(
    client: AsyncClient, world: World
) -> None:
    # Organisation Baik; Sangat Baik, Baik, Baik, Butuh Perbaikan; the Butuh Perbaikan
    # becomes Baik. Was: nothing recorded anywhere, the period simply closed.
    state = await Finalised.build(world)
    team, period = state.team, state.period
    objection = await file_for_c(world, state)
    await hear_appraiser(world, team, objection["id"])
    decided = await client.post(
        f"/objections/{objection['id']}/decide",
        json=CHANGE_TO_BAIK,
        headers=team.head(world, team.s),
    )
    assert decided.status_code == 200, decided.text

    report = await client.get(
        f"/periods/{period['id']}/units/{team.unit['id']}/distribution", headers=world.admin
    )
    assert report.status_code == 200, report.text
    body = report.json()
    assert body["counts"]["baik"] == 3
    assert [v["code"] for v in body["violations"]] == [
        "baik_max_70",
        "butuh_perbaikan_or_kurang_min_one",
    ]
    (exception,) = body["exceptions"]
    assert exception["kind"] == "objection_decision"
    assert exception["objection_id"] == objection["id"]
    assert exception["reason"] == CHANGE_TO_BAIK["reasons"]
    assert [(v["code"], v["employees_to_change"]) for v in exception["violations"]] == [
        ("baik_max_70", 1),
        ("butuh_perbaikan_or_kurang_min_one", 1),
    ]

    (event,) = [
        e for e in await outbox_events(client) if e["type"].endswith("curve_exception.recorded.v1")
    ]
    assert event["data"]["objection_id"] == objection["id"]
    assert event["data"]["reason"] == CHANGE_TO_BAIK["reasons"]
    assert event["data"]["violations"] == exception["violations"]

    closed = await client.post(f"/periods/{period['id']}/close", headers=world.admin)
    assert closed.status_code == 200, closed.text


async def test_a_decision_that_keeps_the_kurva_records_no_exception(
    client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    objection = await file_for_c(world, state)
    await hear_appraiser(world, state.team, objection["id"])
    await client.post(
        f"/objections/{objection['id']}/decide",
        json={"decision": "upheld", "reasons": "Sesuai bukti"},
        headers=state.team.head(world, state.team.s),
    )
    report = await client.get(
        f"/periods/{state.period['id']}/units/{state.team.unit['id']}/distribution",
        headers=world.admin,
    )
    assert report.json()["violations"] == []
    assert report.json()["exceptions"] == []
