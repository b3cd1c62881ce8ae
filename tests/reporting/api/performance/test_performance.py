"""Performance views and fairness through the API."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from reporting.conftest import token
from reporting.feeding import Feeder, feedback, service_point, unit

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.types.appraisal import (
    AssessmentFinalized,
    ObjectionDecided,
    OrganisationPredikatSet,
)

URL = "/api/v1/reporting/performance"
AT = datetime(2026, 12, 20, tzinfo=UTC)


def assessed(
    aid: str, employee: str, predikat: str, *, period: str = "2026", appraiser: str = "boss"
) -> AssessmentFinalized:
    """A final annual assessment in unit u1."""
    return AssessmentFinalized(
        assessment_id=aid,
        employee_id=employee,
        unit_id="u1",
        appraiser_id=appraiser,
        period_id=f"p{period}",
        period_key=period,
        period_kind="annual",
        hasil="sesuai",
        perilaku="sesuai",
        predikat=predikat,
        finalized_at=AT,
    )


async def test_distribution_says_which_curve_limit_fails_and_by_how_many(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"))
    await feeder.send(*[assessed(f"a{i}", f"e{i}", "baik") for i in range(4)])
    await feeder.send(
        OrganisationPredikatSet(unit_id="u1", period_id="p2026", period_key="2026", predikat="baik")
    )
    body = (
        await client.get(f"{URL}/units/u1/distribution", params={"period": "2026"}, headers=analyst)
    ).json()
    assert body["counts"]["baik"] == 4
    assert body["passed"] is False
    failing = {c["description"]: c["employees_off"] for c in body["constraints"] if not c["passed"]}
    assert failing == {"Baik at most 70%": 2, "at least 1 Butuh Perbaikan or Kurang/Misconduct": 1}
    svg = await client.get(
        f"{URL}/units/u1/distribution",
        params={"period": "2026"},
        headers={**analyst, "Accept": "image/svg+xml"},
    )
    assert svg.text.startswith("<svg")
    assert "<rect" in svg.text


async def test_history_applies_objection_decisions_even_when_they_arrive_first(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await feeder.send(unit("u1"))
    decision = ObjectionDecided(
        objection_id="o1",
        assessment_id="a1",
        employee_id="e1",
        unit_id="u1",
        period_key="2026",
        decision="changed",
        original_predikat="butuh_perbaikan",
        final_predikat="baik",
        final_hasil="sesuai",
        final_perilaku="sesuai",
        decided_by="boss2",
        decided_at=AT,
    )
    await feeder.send(decision, assessed("a1", "e1", "butuh_perbaikan"))
    own = token(settings, "employee", employee_id="e1")
    body = (await client.get(f"{URL}/employees/e1/history", headers=own)).json()
    assert [(e["predikat"], e["final_predikat"], e["objection"]) for e in body["entries"]] == [
        ("butuh_perbaikan", "baik", "changed")
    ]
    other = token(settings, "employee", employee_id="e2")
    assert (await client.get(f"{URL}/employees/e1/history", headers=other)).status_code == 403


async def test_award_candidates_and_development_needs_follow_the_local_policies(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"))
    await feeder.send(
        assessed("a1", "e1", "sangat_baik", period="2025"),
        assessed("a2", "e1", "sangat_baik", period="2026"),
        assessed("a3", "e2", "baik", period="2025"),
        assessed("a4", "e2", "sangat_baik", period="2026"),
        assessed("a5", "e3", "kurang", period="2026"),
    )
    awards = (await client.get(f"{URL}/award-candidates", headers=analyst)).json()
    assert [i["employee_id"] for i in awards["items"]] == ["e1"]
    needs = (
        await client.get(f"{URL}/development-needs", params={"period": "2026"}, headers=analyst)
    ).json()
    assert [(i["employee_id"], i["predikat"]) for i in needs["items"]] == [("e3", ["kurang"])]


async def test_award_candidates_need_consecutive_years_as_appraisal_counts_them(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    # 2024 had no annual appraisal. Was ["e1"]: reporting took "the latest two annual
    # periods" (2023 and 2025) while appraisal took the calendar years 2025 and 2024.
    # Now both use kinerja_shared.awards; appraisal's side: tests/appraisal/api/test_awards.py.
    await feeder.send(unit("u1"))
    await feeder.send(
        assessed("a1", "e1", "sangat_baik", period="2023"),
        assessed("a2", "e1", "sangat_baik", period="2025"),
    )
    awards = (await client.get(f"{URL}/award-candidates", headers=analyst)).json()
    assert awards["items"] == []
    await feeder.send(assessed("a3", "e1", "sangat_baik", period="2024"))
    awards = (await client.get(f"{URL}/award-candidates", headers=analyst)).json()
    assert [(i["employee_id"], i["period_keys"]) for i in awards["items"]] == [
        ("e1", ["2024", "2025"])
    ]


async def test_fairness_flags_a_generous_appraiser_with_the_numbers(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    # boss rates e1, e2 Sangat Baik; other rates e3, e4 Baik. Citizens: e1, e2 low; e3, e4 high.
    await feeder.send(
        assessed("a1", "e1", "sangat_baik"),
        assessed("a2", "e2", "sangat_baik"),
        assessed("a3", "e3", "baik", appraiser="other"),
        assessed("a4", "e4", "baik", appraiser="other"),
    )
    for employee, score in (("e1", 2), ("e2", 2), ("e3", 4), ("e4", 4)):
        await feeder.send(
            *[
                feedback("sp1", "u1", {"U6": score, "U7": score}, employee_id=employee)
                for _ in range(5)
            ]
        )
    body = (
        await client.get("/api/v1/reporting/fairness", params={"period": "2026"}, headers=analyst)
    ).json()
    boss = next(i for i in body["items"] if i["appraiser_id"] == "boss")
    assert boss["sangat_baik"]["appraiser_percent"] == "100.00"
    assert boss["sangat_baik"]["unit_percent"] == "50.00"
    assert boss["staff_median"] == "50.00"
    assert boss["unit_median"] == "75.00"
    assert [f["code"] for f in boss["flags"]] == ["generous_vs_citizens"]
    other = next(i for i in body["items"] if i["appraiser_id"] == "other")
    assert other["flags"] == []
