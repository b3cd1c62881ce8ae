"""Who may do what: every role against every endpoint (403 problem+json otherwise)."""

from __future__ import annotations

from typing import Any

from appraisal.helpers import Finalised, Team, World, headers, ratings

CALLERS = ("citizen", "self", "colleague", "supervisor", "reviewer", "admin", "analyst", "system")
READERS = {"self", "supervisor", "reviewer", "admin", "analyst"}


def caller_headers(world: World, state: Finalised) -> dict[str, dict[str, str]]:
    team = state.team
    return {
        "citizen": headers(world.settings, "citizen", subject="warga"),
        "self": world.as_employee(team.a),
        "colleague": world.as_employee(team.b),
        "supervisor": team.head(world, team.h),
        "reviewer": team.head(world, team.s),
        "admin": world.admin,
        "analyst": headers(world.settings, "analyst", subject="analyst"),
        "system": headers(
            world.settings, "external_system", subject="payroll", scopes=("appraisal:read",)
        ),
    }


async def test_each_role_against_each_endpoint(world: World) -> None:
    state = await Finalised.build(world)
    team, period, ids = state.team, state.period, state.assessments
    a, unit = team.a, team.unit
    objection = await world.client.post(
        f"/assessments/{ids['a']}/objections",
        json={"reasons": "Tidak setuju"},
        headers=world.as_employee(a),
    )
    assert objection.status_code == 201, objection.text
    indicator = state.skp["rhk"][0]["indicators"][0]["id"]
    units_csv = b"code,name,kind,parent_code\nNEWU,Unit Baru,other,\n"
    admin_only = {"admin"}
    matrix: list[tuple[str, str, dict[str, Any], set[str]]] = [
        ("POST", "/units", {"json": {"code": "Z1", "name": "Z", "kind": "dinas"}}, admin_only),
        ("PATCH", f"/units/{unit['id']}", {"json": {"name": "Renamed"}}, admin_only),
        ("GET", f"/units/{unit['id']}", {}, {*CALLERS} - {"citizen"}),
        (
            "POST",
            "/employees",
            {
                "json": {
                    "nip": "198609262015051001",
                    "name": "N",
                    "kind": "pns",
                    "position": "P",
                    "unit_id": unit["id"],
                }
            },
            admin_only,
        ),
        ("PATCH", f"/employees/{a['id']}", {"json": {"position": "Analis"}}, admin_only),
        ("GET", f"/employees/{a['id']}", {}, READERS),
        ("GET", f"/employees/{a['id']}/placements", {}, {"self", "admin", "analyst"}),
        ("POST", "/periods", {"json": {"kind": "monthly", "year": 2026, "number": 5}}, admin_only),
        ("POST", f"/periods/{period['id']}/close", {}, admin_only),
        (
            "PUT",
            f"/periods/{period['id']}/units/{unit['id']}/organisation-predikat",
            {"json": {"predikat": "baik"}},
            admin_only,
        ),
        ("POST", "/imports/units", {"files": {"file": ("u.csv", units_csv)}}, admin_only),
        ("GET", "/skps", {"params": {"employee_id": a["id"]}}, READERS),
        ("PUT", f"/skps/{state.skp['id']}", {"json": {"rhk": state.skp_items()}}, {"self"}),
        ("POST", f"/skps/{state.skp['id']}/submit", {}, {"self"}),
        ("POST", f"/skps/{state.skp['id']}/return", {"json": {"comments": "x"}}, {"supervisor"}),
        ("POST", f"/skps/{state.skp['id']}/approve", {}, {"supervisor"}),
        ("POST", f"/skps/{state.skp['id']}/revise", {}, {"self"}),
        (
            "PUT",
            "/realisations",
            {"json": {"indicator_id": indicator, "period_id": period["id"], "value": "1"}},
            {"self"},
        ),
        ("GET", "/realisations", {"params": {"employee_id": a["id"]}}, READERS),
        (
            "POST",
            f"/employees/{a['id']}/feedback-notes",
            {"json": {"text": "Bagus"}},
            {"supervisor"},
        ),
        ("GET", f"/employees/{a['id']}/feedback-notes", {}, READERS),
        ("GET", f"/employees/{a['id']}/citizen-feedback", {}, READERS),
        (
            "POST",
            "/assessments",
            {"json": {"employee_id": a["id"], "period_id": period["id"], **ratings("sesuai")}},
            {"supervisor"},
        ),
        ("PUT", f"/assessments/{ids['a']}", {"json": ratings("sesuai")}, {"supervisor"}),
        ("GET", f"/assessments/{ids['a']}", {}, READERS),
        ("GET", f"/assessments/{ids['a']}/history", {}, READERS),
        ("GET", f"/assessments/{ids['a']}/versions", {}, READERS),
        ("POST", f"/assessments/{ids['a']}/acknowledge", {}, {"self"}),
        (
            "POST",
            f"/assessments/{ids['a']}/objections",
            {"json": {"reasons": "lagi"}},
            {"self"},
        ),
        (
            "GET",
            f"/objections/{objection.json()['id']}",
            {},
            {"self", "reviewer", "admin", "analyst"},
        ),
        (
            "POST",
            f"/objections/{objection.json()['id']}/statement",
            {"json": {"statement": "Sudah sesuai"}},
            {"supervisor"},
        ),
        (
            "POST",
            f"/objections/{objection.json()['id']}/decide",
            {"json": {"decision": "upheld", "reasons": "Sesuai bukti"}},
            {"reviewer"},
        ),
        (
            "POST",
            f"/periods/{period['id']}/units/{unit['id']}/finalize",
            {},
            {"admin", "supervisor"},
        ),
        (
            "GET",
            "/development-plans",
            {"params": {"employee_id": team.c["id"]}},
            {"supervisor", "reviewer", "admin", "analyst"},
        ),
        ("GET", "/results/changes", {}, {"admin", "analyst", "system"}),
    ]
    callers = caller_headers(world, state)
    wrong: list[str] = []
    for method, path, kwargs, allowed in matrix:
        for caller in CALLERS:
            response = await world.client.request(method, path, headers=callers[caller], **kwargs)
            refused = response.status_code == 403
            if response.status_code in (401, 500) or refused == (caller in allowed):
                wrong.append(f"{method} {path} as {caller}: {response.status_code}")
            if refused and response.headers["content-type"] != "application/problem+json":
                wrong.append(f"{method} {path} as {caller}: 403 without problem+json")
    assert wrong == []


async def assessment_phase(world: World) -> tuple[Team, dict[str, Any]]:
    team = await Team.build(world)
    period = await world.period()
    await world.advance(period, "start", "begin-assessment")
    return team, period


async def test_a_supervisor_never_assesses_themselves(world: World) -> None:
    team, period = await assessment_phase(world)
    body = {"employee_id": team.h["id"], "period_id": period["id"], **ratings("sesuai")}
    response = await world.client.post("/assessments", json=body, headers=team.head(world, team.h))
    assert response.status_code == 403


async def test_a_supervisor_may_not_assess_someone_elses_staff(world: World) -> None:
    team, period = await assessment_phase(world)
    body = {"employee_id": team.a["id"], "period_id": period["id"], **ratings("sesuai")}
    response = await world.client.post("/assessments", json=body, headers=team.head(world, team.s))
    assert response.status_code == 403
    assert "direct supervisor" in response.json()["detail"]
