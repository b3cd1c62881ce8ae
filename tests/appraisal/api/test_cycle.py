"""The whole appraisal cycle through HTTP: plan, approve, realise, assess, finalise, object."""

from __future__ import annotations

from typing import Any

from appraisal.helpers import SIMPLE_PLAN, Team, World, outbox_events, ratings
from httpx import AsyncClient


async def assess_all(
    client: AsyncClient, world: World, team: Team, period: dict[str, Any], c_hasil: str
) -> dict[str, str]:
    """H rates A, B, C; S rates H (whose Hasil is the unit's). Returns assessment ids."""
    ids: dict[str, str] = {}
    plan = {"a": ("di_atas", "di_atas"), "b": ("sesuai", "sesuai"), "c": (c_hasil, "sesuai")}
    for who, (hasil, overall) in plan.items():
        body = {
            "employee_id": getattr(team, who)["id"],
            "period_id": period["id"],
            **ratings(hasil, overall),
        }
        response = await client.post("/assessments", json=body, headers=team.head(world, team.h))
        assert response.status_code == 201, response.text
        ids[who] = response.json()["id"]
    body = {"employee_id": team.h["id"], "period_id": period["id"], **ratings(None)}
    response = await client.post("/assessments", json=body, headers=team.head(world, team.s))
    assert response.status_code == 201, response.text
    assert response.json()["is_unit_head"] is True
    assert response.json()["hasil"] == "sesuai"
    ids["h"] = response.json()["id"]
    return ids


async def test_the_whole_cycle_from_plan_to_objection_decision(
    client: AsyncClient, world: World
) -> None:
    team = await Team.build(world)
    period = await world.period()
    await world.advance(period, "start")
    as_a, as_h, as_s = world.as_employee(team.a), team.head(world, team.h), team.head(world, team.s)

    # The head's own plan, approved by S, so A's RHK can intervene it.
    head_plan = (await client.post("/skps", json=SIMPLE_PLAN, headers=as_h)).json()
    assert (await client.post(f"/skps/{head_plan['id']}/submit", headers=as_h)).status_code == 200
    assert (await client.post(f"/skps/{head_plan['id']}/approve", headers=as_s)).status_code == 200

    plan_body = {
        "year": 2026,
        "rhk": [
            {
                "description": "Aduan warga ditindaklanjuti",
                "intervened_rhk_id": head_plan["rhk"][0]["id"],
                "indicators": [
                    {
                        "description": "Aduan selesai tepat waktu",
                        "targets": {"kuantitas": "100 aduan", "waktu": "5 hari"},
                    }
                ],
            }
        ],
    }
    created = await client.post("/skps", json=plan_body, headers=as_a)
    assert created.status_code == 201, created.text
    skp = created.json()
    assert (await client.post(f"/skps/{skp['id']}/submit", headers=as_a)).json()["state"] == (
        "submitted"
    )
    returned = await client.post(
        f"/skps/{skp['id']}/return", json={"comments": "Tambah target kualitas"}, headers=as_h
    )
    assert returned.json()["state"] == "returned"
    plan_body["rhk"][0]["indicators"][0]["targets"]["kualitas"] = "90% warga puas"  # type: ignore[index]
    edited = await client.put(f"/skps/{skp['id']}", json={"rhk": plan_body["rhk"]}, headers=as_a)
    assert edited.json()["state"] == "draft"
    await client.post(f"/skps/{skp['id']}/submit", headers=as_a)
    approved = await client.post(f"/skps/{skp['id']}/approve", headers=as_h)
    assert approved.json()["state"] == "approved"
    indicator_id = approved.json()["rhk"][0]["indicators"][0]["id"]

    realised = await client.put(
        "/realisations",
        json={
            "indicator_id": indicator_id,
            "period_id": period["id"],
            "value": "34 aduan",
            "evidence": [{"kind": "link", "value": "https://lapor.go.id/x"}],
        },
        headers=as_a,
    )
    assert realised.status_code == 200, realised.text
    note = await client.post(
        f"/employees/{team.a['id']}/feedback-notes",
        json={"text": "Respons cepat", "period_id": period["id"]},
        headers=as_h,
    )
    assert note.status_code == 201

    await world.advance(period, "begin-assessment")
    org = await client.put(
        f"/periods/{period['id']}/units/{team.unit['id']}/organisation-predikat",
        json={"predikat": "baik"},
        headers=world.admin,
    )
    assert org.status_code == 200
    ids = await assess_all(client, world, team, period, c_hasil="sesuai")

    finalize = f"/periods/{period['id']}/units/{team.unit['id']}/finalize"
    refused = await client.post(finalize, headers=world.admin)
    assert refused.status_code == 409
    problem = refused.json()
    assert {v["code"] for v in problem["violations"]} == {
        "baik_max_70",
        "butuh_perbaikan_or_kurang_min_one",
    }
    assert problem["counts"]["baik"] == 3
    assert {e["field"] for e in problem["errors"]} == {
        "kurva.baik_max_70",
        "kurva.butuh_perbaikan_or_kurang_min_one",
    }

    fixed = await client.put(f"/assessments/{ids['c']}", json=ratings("di_bawah"), headers=as_h)
    assert fixed.json()["predikat"] == "butuh_perbaikan"
    done = await client.post(finalize, headers=as_h)
    assert done.status_code == 200, done.text
    assert done.json()["counts"] == {
        "sangat_baik": 1,
        "baik": 2,
        "butuh_perbaikan": 1,
        "kurang": 0,
        "sangat_kurang": 0,
    }
    assert done.json()["development_plans"] == 1

    final = (await client.get(f"/assessments/{ids['a']}", headers=as_a)).json()
    assert final["state"] == "finalized"
    assert final["predikat"] == "sangat_baik"
    snapshot = final["snapshot"]
    assert snapshot["plan"]["id"] == skp["id"]
    assert snapshot["realisations"][0]["evidence"][0]["value"] == "https://lapor.go.id/x"
    assert snapshot["feedback_notes"][0]["text"] == "Respons cepat"
    immutable = await client.put(f"/assessments/{ids['a']}", json=ratings("sesuai"), headers=as_h)
    assert immutable.status_code == 409

    acknowledged = await client.post(f"/assessments/{ids['a']}/acknowledge", headers=as_a)
    assert acknowledged.json()["state"] == "acknowledged"
    objection = await client.post(
        f"/assessments/{ids['a']}/objections",
        json={"reasons": "Perilaku saya dinilai terlalu rendah"},
        headers=as_a,
    )
    assert objection.status_code == 201, objection.text
    assert objection.json()["reviewer_id"] == team.s["id"]
    by_appraiser = await client.post(
        f"/objections/{objection.json()['id']}/decide",
        json={"decision": "upheld", "reasons": "x"},
        headers=as_h,
    )
    assert by_appraiser.status_code == 403
    statement = await client.post(
        f"/objections/{objection.json()['id']}/statement",
        json={"statement": "Penilaian sesuai catatan umpan balik"},
        headers=as_h,
    )
    assert statement.status_code == 200, statement.text
    heard = await client.get(f"/objections/{objection.json()['id']}", headers=as_s)
    assert heard.json()["appraiser_statement"] == "Penilaian sesuai catatan umpan balik"
    decided = await client.post(
        f"/objections/{objection.json()['id']}/decide",
        json={
            "decision": "changed",
            "reasons": "Bukti kuat",
            "hasil": "sesuai",
            "perilaku": "sesuai",
        },
        headers=as_s,
    )
    assert decided.status_code == 200, decided.text
    assert decided.json()["state"] == "changed"
    again = await client.post(
        f"/objections/{objection.json()['id']}/decide",
        json={"decision": "upheld", "reasons": "again"},
        headers=as_s,
    )
    assert again.status_code == 409

    after = (await client.get(f"/assessments/{ids['a']}", headers=as_a)).json()
    assert after["predikat"] == "sangat_baik"
    assert after["final_predikat"] == "baik"
    versions = (await client.get(f"/assessments/{ids['a']}/versions", headers=as_a)).json()
    assert [(v["version"], v["predikat"]) for v in versions] == [(1, "sangat_baik"), (2, "baik")]
    history = (await client.get(f"/assessments/{ids['a']}/history", headers=as_a)).json()
    assert [h["action"] for h in history] == [
        "assessment.created",
        "assessment.finalized",
        "assessment.acknowledged",
        "objection.filed",
        "objection.statement",
        "objection.changed",
    ]
    assert history[-1]["before"]["assessment"]["final_predikat"] == "sangat_baik"

    plans = (
        await client.get("/development-plans", params={"employee_id": team.c["id"]}, headers=as_h)
    ).json()
    assert plans["total"] == 1
    assert plans["items"][0]["predikat"] == "butuh_perbaikan"
    assert "komunikasi" in plans["items"][0]["areas"]

    closed = await client.post(f"/periods/{period['id']}/close", headers=world.admin)
    assert closed.status_code == 200, closed.text
    assert closed.json()["state"] == "closed"

    types = [e["type"].split("kinerja.")[1] for e in await outbox_events(client)]
    for expected in (
        "unit.upserted.v1",
        "employee.upserted.v2",
        "period.opened.v1",
        "skp.approved.v1",
        "organisation_predikat.set.v1",
        "assessment.finalized.v1",
        "development_plan.opened.v1",
        "objection.filed.v1",
        "objection.decided.v1",
        "period.closed.v1",
    ):
        assert expected in types, expected
    assert types.count("assessment.finalized.v1") == 4


async def test_the_pull_api_returns_changes_after_a_cursor(
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
    ids = await assess_all(client, world, team, period, c_hasil="di_bawah")
    finalize = f"/periods/{period['id']}/units/{team.unit['id']}/finalize"
    assert (await client.post(finalize, headers=world.admin)).status_code == 200

    system = {"Authorization": world.admin["Authorization"]}
    first = (await client.get("/results/changes", params={"limit": 3}, headers=system)).json()
    assert len(first["items"]) == 3
    assert first["has_more"] is True
    rest = (
        await client.get("/results/changes", params={"after": first["next_cursor"]}, headers=system)
    ).json()
    assert len(rest["items"]) == 1
    assert rest["has_more"] is False
    seen = {i["assessment_id"] for i in first["items"] + rest["items"]}
    assert seen == set(ids.values())
    nothing_new = (
        await client.get("/results/changes", params={"after": rest["next_cursor"]}, headers=system)
    ).json()
    assert nothing_new["items"] == []
    assert nothing_new["next_cursor"] == rest["next_cursor"]
