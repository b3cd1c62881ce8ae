"""Follow-up plans (rencana tindak lanjut): the head of a unit records actions per SKM element
with an owner and a due date, and their progress; every step is kept and published."""

from __future__ import annotations

import json
from typing import Any

from feedback.fixtures import ADMIN, OTHER_HEAD, PREFIX, UNIT, UNIT_HEAD, token
from httpx import AsyncClient
from sqlalchemy import select

from kinerja_feedback.models import messaging

PLANS = f"{PREFIX}/follow-up-plans"


def plan_body(**fields: Any) -> dict[str, Any]:
    """A valid plan of UNIT for 2026-Q1 with one action on U5 (owner emp-1)."""
    body: dict[str, Any] = {
        "unit_id": UNIT,
        "period_key": "2026-Q1",
        "actions": [
            {
                "element": "U5",
                "description": "Papan antrean digital dan loket kedua untuk jam sibuk",
                "owner_employee_id": "emp-1",
                "due_date": "2026-06-30",
            }
        ],
    }
    body.update(fields)
    return body


async def recorded(client: AsyncClient, **fields: Any) -> dict[str, Any]:
    response = await client.post(PLANS, json=plan_body(**fields), headers=UNIT_HEAD)
    assert response.status_code == 201, response.text
    return dict(response.json())


async def outbox_events(client: AsyncClient) -> list[tuple[str, dict[str, Any]]]:
    """The events the service queued: (type, data)."""
    runtime = client.app.state.runtime  # type: ignore[attr-defined]
    async with runtime.sessions() as session:
        rows = (await session.execute(select(messaging.outbox))).all()
    return [(r.event_type, json.loads(r.payload)["data"]) for r in rows]


async def test_the_unit_head_records_a_plan_of_actions_per_element(client: AsyncClient) -> None:
    plan = await recorded(client)
    assert (plan["unit_id"], plan["period_key"], plan["recorded_by"]) == (
        UNIT,
        "2026-Q1",
        "head-1",
    )
    [action] = plan["actions"]
    assert action["element"] == "U5"
    assert action["owner_employee_id"] == "emp-1"
    assert action["due_date"] == "2026-06-30"
    assert (action["status"], action["progress_percent"]) == ("planned", 0)
    assert [step["status"] for step in action["history"]] == ["planned"]


async def test_recording_a_plan_publishes_it_with_the_owner_by_employee_id(
    client: AsyncClient,
) -> None:
    plan = await recorded(client)
    [(kind, data)] = [e for e in await outbox_events(client) if "follow_up" in e[0]]
    assert kind == "id.denpasar.kinerja.follow_up_plan.recorded.v1"
    assert data["plan_id"] == plan["id"]
    assert data["actions"][0]["owner_employee_id"] == "emp-1"
    assert "recorded_by" not in data
    assert "head-1" not in json.dumps(data)


async def test_progress_keeps_every_step_with_who_and_when(client: AsyncClient) -> None:
    plan = await recorded(client)
    action_id = plan["actions"][0]["id"]
    url = f"{PLANS}/{plan['id']}/actions/{action_id}/progress"
    first = await client.post(
        url, json={"status": "in_progress", "progress_percent": 40}, headers=UNIT_HEAD
    )
    assert first.status_code == 200, first.text
    done = await client.post(
        url, json={"status": "done", "note": "Loket kedua dibuka"}, headers=ADMIN
    )
    assert done.status_code == 200, done.text
    action = done.json()["actions"][0]
    assert (action["status"], action["progress_percent"]) == ("done", 100)
    assert [(s["status"], s["progress_percent"], s["actor"]) for s in action["history"]] == [
        ("planned", 0, "head-1"),
        ("in_progress", 40, "head-1"),
        ("done", 100, "admin-1"),
    ]
    assert action["history"][-1]["note"] == "Loket kedua dibuka"
    progressed = [
        d for t, d in await outbox_events(client) if t.endswith("follow_up_action.progressed.v1")
    ]
    assert [(d["status"], d["progress_percent"]) for d in progressed] == [
        ("in_progress", 40),
        ("done", 100),
    ]


async def test_actions_added_later_join_the_plan_and_its_event(client: AsyncClient) -> None:
    plan = await recorded(client)
    more = await client.post(
        f"{PLANS}/{plan['id']}/actions",
        json={
            "actions": [
                {
                    "element": "U9",
                    "description": "Kotak saran dibuka setiap minggu",
                    "owner_employee_id": "emp-2",
                    "due_date": "2026-05-31",
                }
            ]
        },
        headers=UNIT_HEAD,
    )
    assert more.status_code == 200, more.text
    assert [a["element"] for a in more.json()["actions"]] == ["U5", "U9"]
    last = [d for t, d in await outbox_events(client) if "follow_up_plan.recorded" in t][-1]
    assert [a["element"] for a in last["actions"]] == ["U5", "U9"]


async def test_a_supervisor_of_the_unit_may_not_record_a_plan(client: AsyncClient) -> None:
    refused = await client.post(PLANS, json=plan_body(), headers=token(["supervisor"]))
    assert refused.status_code == 403
    assert await outbox_events(client) == []


async def test_the_head_of_another_unit_may_not_record_a_plan(client: AsyncClient) -> None:
    assert (await client.post(PLANS, json=plan_body(), headers=OTHER_HEAD)).status_code == 403


async def test_the_head_of_another_unit_may_not_record_progress(client: AsyncClient) -> None:
    plan = await recorded(client)
    url = f"{PLANS}/{plan['id']}/actions/{plan['actions'][0]['id']}/progress"
    refused = await client.post(url, json={"status": "done"}, headers=OTHER_HEAD)
    assert refused.status_code == 403


async def test_an_owner_outside_the_unit_is_a_422_naming_the_field(client: AsyncClient) -> None:
    body = plan_body()
    body["actions"][0]["owner_employee_id"] = "emp-3"  # staff of the other unit
    refused = await client.post(PLANS, json=body, headers=UNIT_HEAD)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["errors"][0]["field"] == "body.actions.0.owner_employee_id"
    assert (await client.get(PLANS, headers=UNIT_HEAD)).json() == []


async def test_an_unknown_element_is_a_422_naming_the_field(client: AsyncClient) -> None:
    body = plan_body()
    body["actions"][0]["element"] = "U10"
    refused = await client.post(PLANS, json=body, headers=UNIT_HEAD)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.actions.0.element"


async def test_a_malformed_period_is_a_422_naming_the_field(client: AsyncClient) -> None:
    refused = await client.post(PLANS, json=plan_body(period_key="2026-Q5"), headers=UNIT_HEAD)
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.period_key"


async def test_a_percentage_contradicting_the_status_is_a_422_and_changes_nothing(
    client: AsyncClient,
) -> None:
    plan = await recorded(client)
    url = f"{PLANS}/{plan['id']}/actions/{plan['actions'][0]['id']}/progress"
    refused = await client.post(
        url, json={"status": "done", "progress_percent": 60}, headers=UNIT_HEAD
    )
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "body.progress_percent"
    again = (await client.get(f"{PLANS}/{plan['id']}", headers=UNIT_HEAD)).json()
    assert len(again["actions"][0]["history"]) == 1


async def test_a_second_plan_for_the_same_unit_and_period_is_a_conflict(
    client: AsyncClient,
) -> None:
    await recorded(client)
    again = await client.post(PLANS, json=plan_body(), headers=UNIT_HEAD)
    assert again.status_code == 409


async def test_phone_numbers_in_a_plan_are_masked_before_it_is_published(
    client: AsyncClient,
) -> None:
    body = plan_body()
    body["actions"][0]["description"] = "Pengaduan antrean lewat 0812-3456-7890"
    plan = (await client.post(PLANS, json=body, headers=UNIT_HEAD)).json()
    assert "0812" not in plan["actions"][0]["description"]
    assert "0812" not in json.dumps(await outbox_events(client))


async def test_staff_of_another_unit_may_not_read_the_plan(client: AsyncClient) -> None:
    plan = await recorded(client)
    assert (await client.get(f"{PLANS}/{plan['id']}", headers=OTHER_HEAD)).status_code == 403
    assert (
        await client.get(f"{PLANS}/{plan['id']}", headers=token(["supervisor"]))
    ).status_code == 200
