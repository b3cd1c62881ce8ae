"""Published IKM results and follow-up plans: read without a token, cacheable, with the
unit's plan and its progress next to the result, and a unit's flag linking to its plan."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest
from reporting.conftest import token
from reporting.feeding import NOW, Feeder, all_nine, feedback, service_point, service_users, unit

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.types.appraisal import EmployeeUpserted
from kinerja_shared.events.types.feedback import (
    FollowUpActionProgressed,
    FollowUpActionState,
    FollowUpPlanRecorded,
)

PUBLIC = "/api/v1/reporting/public"
MARCH = {"period": "2026-03"}


def plan_recorded(plan_id: str = "plan-1", unit_id: str = "u1") -> FollowUpPlanRecorded:
    """A plan of u1 for March 2026 with one action on U5, owned by emp-1."""
    return FollowUpPlanRecorded(
        plan_id=plan_id,
        unit_id=unit_id,
        period_key="2026-03",
        actions=[
            FollowUpActionState(
                action_id="act-1",
                element="U5",
                description="Papan antrean digital dan loket kedua",
                owner_employee_id="emp-1",
                due_date=date(2026, 6, 30),
            )
        ],
        recorded_at=NOW,
    )


def progressed(status: str, percent: int, note: str | None = None) -> FollowUpActionProgressed:
    """Progress of act-1 of plan-1."""
    return FollowUpActionProgressed.model_validate(
        {
            "plan_id": "plan-1",
            "action_id": "act-1",
            "unit_id": "u1",
            "period_key": "2026-03",
            "status": status,
            "progress_percent": percent,
            "note": note,
            "progressed_at": NOW + timedelta(days=1),
        }
    )


async def a_rated_unit(feeder: Feeder) -> None:
    """u1 with a service point, 2 service users and two respondents in March (IKM 87.50)."""
    await feeder.send(
        unit("u1", name="Kelurahan Dauh Puri"),
        service_point("sp1", "u1"),
        service_users("u1", "2026-03", 2),
        EmployeeUpserted(
            employee_id="emp-1", staff_code="DP-001", kind="pns", position="Lurah", unit_id="u1"
        ),
    )
    await feeder.send(feedback("sp1", "u1", all_nine(4)), feedback("sp1", "u1", all_nine(3)))


@pytest.fixture
def public(client: httpx.AsyncClient) -> httpx.AsyncClient:
    """The client with no token at all (requests still come through the gateway)."""
    assert "authorization" not in client.headers
    return client


async def test_anyone_reads_a_units_ikm_with_band_sample_and_every_nrr_without_a_token(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    response = await public.get(f"{PUBLIC}/ikm/units/u1", params=MARCH)
    assert response.status_code == 200, response.text
    ikm = response.json()["ikm"]
    assert (Decimal(ikm["ikm"]), ikm["band"], ikm["respondents"]) == (Decimal("87.50"), "B", 2)
    assert ikm["sample"]["state"] == "adequate"
    assert [e["element"] for e in ikm["elements"]] == [f"U{i}" for i in range(1, 10)]
    assert response.json()["follow_up_plan"] is None


async def test_the_published_result_is_the_ikm_report_staff_read(
    public: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await a_rated_unit(feeder)
    published = (await public.get(f"{PUBLIC}/ikm/units/u1", params=MARCH)).json()["ikm"]
    staff = (
        await public.get("/api/v1/reporting/ikm/units/u1", params=MARCH, headers=analyst)
    ).json()
    assert published == staff


async def test_the_units_plan_and_its_progress_stand_next_to_the_result(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    await feeder.send(plan_recorded(), progressed("in_progress", 40, "Loket kedua dibuka"))
    plan = (await public.get(f"{PUBLIC}/ikm/units/u1", params=MARCH)).json()["follow_up_plan"]
    assert plan["id"] == "plan-1"
    assert plan["url"] == f"{PUBLIC}/follow-up-plans/plan-1"
    assert plan["progress_percent"] == 40
    [action] = plan["actions"]
    assert (action["element"], action["status"], action["progress_percent"]) == (
        "U5",
        "in_progress",
        40,
    )
    assert action["owner_staff_code"] == "DP-001"
    assert [(s["status"], s["progress_percent"], s["note"]) for s in action["progress"]] == [
        ("planned", 0, None),
        ("in_progress", 40, "Loket kedua dibuka"),
    ]


async def test_a_published_plan_names_its_owner_by_staff_code_never_by_employee_id(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    await feeder.send(plan_recorded())
    response = await public.get(f"{PUBLIC}/follow-up-plans/plan-1")
    assert response.status_code == 200
    assert "emp-1" not in response.text


async def test_a_service_points_result_shows_its_units_plan(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    await feeder.send(plan_recorded())
    response = await public.get(f"{PUBLIC}/ikm/service-points/sp1", params=MARCH)
    assert response.status_code == 200, response.text
    assert response.json()["ikm"]["respondents"] == 2
    assert response.json()["follow_up_plan"]["id"] == "plan-1"
    listed = (await public.get(f"{PUBLIC}/ikm/service-points", params=MARCH)).json()
    assert [i["follow_up_plan"]["id"] for i in listed["items"]] == ["plan-1"]


async def test_the_list_of_units_carries_each_units_plan(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    await feeder.send(unit("u2"), plan_recorded())
    listed = (await public.get(f"{PUBLIC}/ikm/units", params=MARCH)).json()
    plans = {i["ikm"]["scope_id"]: i["follow_up_plan"] for i in listed["items"]}
    assert plans["u1"]["id"] == "plan-1"
    assert plans["u2"] is None


async def test_a_published_result_may_be_cached_for_the_configured_time(
    public: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await a_rated_unit(feeder)
    response = await public.get(f"{PUBLIC}/ikm/units/u1", params=MARCH)
    assert response.headers["cache-control"] == (
        f"public, max-age={settings.public_cache_max_age_seconds}"
    )
    assert response.headers["etag"].startswith('"')


async def test_a_repeat_with_the_current_etag_is_a_304_without_a_body(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    first = await public.get(f"{PUBLIC}/ikm/units/u1", params=MARCH)
    again = await public.get(
        f"{PUBLIC}/ikm/units/u1", params=MARCH, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == first.headers["etag"]


async def test_recorded_progress_changes_the_etag(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    await feeder.send(plan_recorded())
    first = await public.get(f"{PUBLIC}/ikm/units/u1", params=MARCH)
    await feeder.send(progressed("done", 100))
    again = await public.get(
        f"{PUBLIC}/ikm/units/u1", params=MARCH, headers={"If-None-Match": first.headers["etag"]}
    )
    assert again.status_code == 200
    assert again.json()["follow_up_plan"]["progress_percent"] == 100


async def test_a_units_flag_links_to_its_plan_once_one_is_recorded(
    public: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings
) -> None:
    await feeder.send(unit("u1"), service_point("sp1", "u1"))
    await feeder.send(feedback("sp1", "u1", all_nine(2)))  # IKM 50.00, band D: flagged
    admin = token(settings, "bkpsdm_admin")
    before = (await public.get("/api/v1/reporting/flags", params=MARCH, headers=admin)).json()
    assert before["items"][0]["follow_up_plan_id"] is None
    await feeder.send(plan_recorded())
    after = (await public.get("/api/v1/reporting/flags", params=MARCH, headers=admin)).json()
    flag = after["items"][0]
    assert flag["follow_up_plan_id"] == "plan-1"
    assert (await public.get(flag["follow_up_plan_url"])).status_code == 200


async def test_an_unknown_plan_is_a_404(public: httpx.AsyncClient) -> None:
    assert (await public.get(f"{PUBLIC}/follow-up-plans/nope")).status_code == 404


async def test_a_malformed_period_is_a_422_naming_the_field(
    public: httpx.AsyncClient, feeder: Feeder
) -> None:
    await a_rated_unit(feeder)
    refused = await public.get(f"{PUBLIC}/ikm/units/u1", params={"period": "2026-13"})
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "query.period"
