"""Assessments over HTTP: ratings, unit heads, finalisation rules, immutability, objections."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from appraisal.helpers import BERAKHLAK, Finalised, Team, World, hear_appraiser, ratings
from fastapi import FastAPI
from httpx import AsyncClient
from sqlalchemy import update

from kinerja_appraisal.execution.service import store_summary
from kinerja_appraisal.models import Assessment
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished
from kinerja_shared.runtime import ServiceRuntime


async def assessing(world: World) -> tuple[Team, dict[str, object]]:
    team = await Team.build(world)
    period = await world.period()
    await world.advance(period, "start", "begin-assessment")
    return team, period


async def test_each_value_rated_off_sesuai_needs_a_note(client: AsyncClient, world: World) -> None:
    team, period = await assessing(world)
    values = {v: {"rating": "sesuai"} for v in BERAKHLAK}
    values["adaptif"] = {"rating": "di_atas"}
    values["loyal"] = {"rating": "di_bawah", "note": " "}
    body = {
        "employee_id": team.a["id"],
        "period_id": period["id"],
        "hasil": "sesuai",
        "perilaku_values": values,
    }
    response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"body.perilaku_values.loyal.note", "body.perilaku_values.adaptif.note"}


async def test_every_berakhlak_value_must_be_rated(client: AsyncClient, world: World) -> None:
    team, period = await assessing(world)
    values = {v: {"rating": "sesuai"} for v in BERAKHLAK if v != "harmonis"}
    body = {
        "employee_id": team.a["id"],
        "period_id": period["id"],
        "hasil": "sesuai",
        "perilaku_values": values,
    }
    response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "body.perilaku_values.harmonis"


async def test_the_predikat_follows_the_matrix(client: AsyncClient, world: World) -> None:
    team, period = await assessing(world)
    body = {
        "employee_id": team.a["id"],
        "period_id": period["id"],
        **ratings("di_bawah", "di_bawah"),
    }
    response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
    assert (response.json()["hasil"], response.json()["perilaku"]) == ("di_bawah", "di_bawah")
    assert response.json()["predikat"] == "sangat_kurang"


async def test_a_unit_head_takes_the_units_result_as_hasil(
    client: AsyncClient, world: World
) -> None:
    team, period = await assessing(world)
    body = {"employee_id": team.h["id"], "period_id": period["id"], **ratings(None)}
    as_s = team.head(world, team.s)
    missing = await client.post("/assessments", json=body, headers=as_s)
    assert missing.status_code == 409
    assert "organisation predikat" in missing.json()["detail"]
    await client.put(
        f"/periods/{period['id']}/units/{team.unit['id']}/organisation-predikat",
        json={"predikat": "istimewa"},
        headers=world.admin,
    )
    given = await client.post("/assessments", json={**body, "hasil": "sesuai"}, headers=as_s)
    assert given.status_code == 422
    assert given.json()["errors"][0]["field"] == "body.hasil"
    taken = await client.post("/assessments", json=body, headers=as_s)
    assert (taken.json()["hasil"], taken.json()["predikat"]) == ("di_atas", "baik")


async def test_an_assessment_needs_the_assessment_phase(client: AsyncClient, world: World) -> None:
    team = await Team.build(world)
    period = await world.period()
    await world.advance(period, "start")
    body = {"employee_id": team.a["id"], "period_id": period["id"], **ratings("sesuai")}
    response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
    assert response.status_code == 409


async def test_finalising_refuses_while_employees_are_unassessed(
    client: AsyncClient, world: World
) -> None:
    team, period = await assessing(world)
    await client.put(
        f"/periods/{period['id']}/units/{team.unit['id']}/organisation-predikat",
        json={"predikat": "istimewa"},
        headers=world.admin,
    )
    body = {"employee_id": team.a["id"], "period_id": period["id"], **ratings("sesuai")}
    await client.post("/assessments", json=body, headers=team.head(world, team.h))
    response = await client.post(
        f"/periods/{period['id']}/units/{team.unit['id']}/finalize", headers=world.admin
    )
    assert response.status_code == 409
    assert len(response.json()["unassessed_employee_ids"]) == 3


async def test_finalising_refuses_without_an_organisation_predikat(
    client: AsyncClient, world: World
) -> None:
    team, period = await assessing(world)
    response = await client.post(
        f"/periods/{period['id']}/units/{team.unit['id']}/finalize", headers=world.admin
    )
    assert response.status_code == 409
    assert "organisation predikat" in response.json()["detail"]


async def test_a_final_assessment_is_immutable_and_keeps_its_snapshot(
    client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    team, ids = state.team, state.assessments
    edit = await client.put(
        f"/assessments/{ids['b']}", json=ratings("di_atas"), headers=team.head(world, team.h)
    )
    assert edit.status_code == 409
    assert edit.json()["current_state"] == "finalized"
    again = await client.post(
        f"/periods/{state.period['id']}/units/{team.unit['id']}/finalize", headers=world.admin
    )
    assert again.status_code == 409
    org = await client.put(
        f"/periods/{state.period['id']}/units/{team.unit['id']}/organisation-predikat",
        json={"predikat": "istimewa"},
        headers=world.admin,
    )
    assert org.status_code == 409
    body = (await client.get(f"/assessments/{ids['b']}", headers=world.admin)).json()
    assert body["predikat"] == "baik"
    assert body["snapshot"]["organisation_predikat"] == "baik"
    assert body["snapshot"]["ratings"]["hasil"] == "sesuai"


async def test_the_citizen_feedback_summary_is_shown_next_to_the_ratings(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    team, period = await assessing(world)
    runtime: ServiceRuntime = app.state.runtime
    async with runtime.sessions() as session, session.begin():
        await store_summary(
            session,
            payload=FeedbackSummaryPublished(
                summary_id=f"{team.a['id']}/2026-Q1",
                employee_id=team.a["id"],
                period_key="2026-Q1",
                responses=7,
                minimum_responses=5,
                sufficient=True,
                u7_mean=Decimal("3.9"),
                computed_at=datetime(2026, 4, 1, tzinfo=UTC),
            ),
        )
    body = {"employee_id": team.a["id"], "period_id": period["id"], **ratings("sesuai")}
    response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
    assert response.json()["citizen_feedback"]["responses"] == 7
    assert response.json()["citizen_feedback"]["u7_mean"] == "3.9"


async def test_an_objection_after_fourteen_days_is_refused(
    app: FastAPI, client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    runtime: ServiceRuntime = app.state.runtime
    async with runtime.sessions() as session, session.begin():
        await session.execute(
            update(Assessment)
            .where(Assessment.id == state.assessments["a"])  # type: ignore[arg-type]
            .values(finalized_at=datetime.now(UTC) - timedelta(days=16))
        )
    response = await client.post(
        f"/assessments/{state.assessments['a']}/objections",
        json={"reasons": "terlambat"},
        headers=world.as_employee(state.team.a),
    )
    assert response.status_code == 409
    assert "deadline" in response.json()


async def test_an_upheld_objection_keeps_the_result_and_a_second_one_is_refused(
    client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    as_c = world.as_employee(state.team.c)
    filed = await client.post(
        f"/assessments/{state.assessments['c']}/objections",
        json={"reasons": "Saya keberatan"},
        headers=as_c,
    )
    await hear_appraiser(world, state.team, filed.json()["id"])
    decided = await client.post(
        f"/objections/{filed.json()['id']}/decide",
        json={"decision": "upheld", "reasons": "Sesuai bukti"},
        headers=state.team.head(world, state.team.s),
    )
    assert decided.json()["state"] == "upheld"
    result = (await client.get(f"/assessments/{state.assessments['c']}", headers=as_c)).json()
    assert result["final_predikat"] == "butuh_perbaikan"
    second = await client.post(
        f"/assessments/{state.assessments['c']}/objections",
        json={"reasons": "lagi"},
        headers=as_c,
    )
    assert second.status_code == 409


async def test_a_changed_result_moves_to_a_new_sequence_in_the_pull_api(
    client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    feed = (await client.get("/results/changes", headers=world.admin)).json()
    cursor = feed["next_cursor"]
    filed = await client.post(
        f"/assessments/{state.assessments['c']}/objections",
        json={"reasons": "Saya keberatan"},
        headers=world.as_employee(state.team.c),
    )
    await hear_appraiser(world, state.team, filed.json()["id"])
    await client.post(
        f"/objections/{filed.json()['id']}/decide",
        json={
            "decision": "changed",
            "reasons": "Bukti baru",
            "hasil": "sesuai",
            "perilaku": "sesuai",
        },
        headers=state.team.head(world, state.team.s),
    )
    news = (
        await client.get("/results/changes", params={"after": cursor}, headers=world.admin)
    ).json()
    assert [(i["assessment_id"], i["predikat"]) for i in news["items"]] == [
        (state.assessments["c"], "baik")
    ]
    assert news["items"][0]["changed_by_objection"] is True
    assert news["items"][0]["sequence"] > cursor


async def test_the_annual_predikat_is_proposed_from_the_periodic_ones(
    client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    proposal = await client.get(
        f"/employees/{state.team.a['id']}/annual-proposal",
        params={"year": 2026},
        headers=world.as_employee(state.team.a),
    )
    assert proposal.json() == {"proposed_predikat": "sangat_baik"}


async def test_an_annual_assessment_confirms_the_proposal_or_explains_a_difference(
    client: AsyncClient, world: World
) -> None:
    state = await Finalised.build(world)
    annual = await world.period("annual", 2026)
    await world.advance(annual, "start", "begin-assessment")
    as_h = state.team.head(world, state.team.h)
    base = {"employee_id": state.team.a["id"], "period_id": annual["id"]}
    differing = await client.post("/assessments", json={**base, **ratings("sesuai")}, headers=as_h)
    assert differing.status_code == 422
    assert differing.json()["errors"][0]["field"] == "body.hasil_note"
    confirmed = await client.post(
        "/assessments", json={**base, **ratings("di_atas", "di_atas")}, headers=as_h
    )
    assert confirmed.status_code == 201
    assert confirmed.json()["proposed_predikat"] == confirmed.json()["predikat"] == "sangat_baik"


async def test_a_draft_cannot_be_acknowledged_and_a_result_only_once(
    client: AsyncClient, world: World
) -> None:
    team, period = await assessing(world)
    body = {"employee_id": team.a["id"], "period_id": period["id"], **ratings("sesuai")}
    draft = await client.post("/assessments", json=body, headers=team.head(world, team.h))
    as_a = world.as_employee(team.a)
    early = await client.post(f"/assessments/{draft.json()['id']}/acknowledge", headers=as_a)
    assert early.status_code == 409
    assert early.json()["current_state"] == "draft"
    objection = await client.post(
        f"/assessments/{draft.json()['id']}/objections", json={"reasons": "x"}, headers=as_a
    )
    assert objection.status_code == 409


async def test_acknowledging_twice_is_refused(client: AsyncClient, world: World) -> None:
    state = await Finalised.build(world)
    as_b = world.as_employee(state.team.b)
    path = f"/assessments/{state.assessments['b']}/acknowledge"
    assert (await client.post(path, headers=as_b)).status_code == 200
    again = await client.post(path, headers=as_b)
    assert again.status_code == 409
    assert again.json()["current_state"] == "acknowledged"


async def test_hasil_is_proposed_from_the_rating_of_each_rhk(
    client: AsyncClient, world: World
) -> None:
    team = await Team.build(world)
    period = await world.period()
    await world.advance(period, "start")
    plan = {
        "year": 2026,
        "rhk": [
            {
                "description": f"RHK {n}",
                "kind": kind,
                "indicators": [{"description": "x", "targets": {"kuantitas": "1"}}],
            }
            for n, kind in enumerate(("utama", "utama", "utama", "tambahan"))
        ],
    }
    as_a, as_h = world.as_employee(team.a), team.head(world, team.h)
    skp = (await client.post("/skps", json=plan, headers=as_a)).json()
    await client.post(f"/skps/{skp['id']}/submit", headers=as_a)
    await client.post(f"/skps/{skp['id']}/approve", headers=as_h)
    await world.advance(period, "begin-assessment")
    ids = [rhk["id"] for rhk in skp["rhk"]]
    base = {"employee_id": team.a["id"], "period_id": period["id"], **ratings(None)}
    incomplete = await client.post(
        "/assessments", json={**base, "rhk_ratings": {ids[0]: "di_atas"}}, headers=as_h
    )
    assert incomplete.status_code == 422
    assert {e["field"] for e in incomplete.json()["errors"]} == {
        f"body.rhk_ratings.{rhk}" for rhk in ids[1:]
    }
    # One main result of three below expectation is "a small part": Sesuai.
    rated = dict(zip(ids, ("sesuai", "sesuai", "di_bawah", "di_atas"), strict=True))
    response = await client.post("/assessments", json={**base, "rhk_ratings": rated}, headers=as_h)
    assert response.status_code == 201, response.text
    assert response.json()["hasil"] == "sesuai"
    assert response.json()["rhk_ratings"] == rated
