"""Anti-stuffing: scores that name a staff member count toward that person's summary only
when a campaign cannot pass cheaply. The campaigns of issue 13 are replayed here; what counts
is read from the events the service publishes (`counted` and `staff_counted`), exactly what
reporting counts from."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from feedback.fixtures import (
    ADMIN,
    PREFIX,
    UNIT_HEAD,
    Clock,
    create_point,
    submission,
    submit,
)
from httpx import AsyncClient
from sqlalchemy import select

from kinerja_feedback.models import messaging

SUBMITTED = "id.denpasar.kinerja.feedback.submitted.v1"
ONE_STAR = {"overall_rating": 1, "answers": {f"U{i}": 1 for i in range(1, 10)}}


async def submitted_events(client: AsyncClient) -> list[dict[str, Any]]:
    outbox = messaging.outbox
    async with client.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        rows = await session.execute(
            select(outbox.c.payload).where(outbox.c.event_type == SUBMITTED).order_by(outbox.c.id)
        )
        return [json.loads(payload)["data"] for (payload,) in rows]


def counted_for_staff(event: dict[str, Any]) -> bool:
    """What reporting adds to the employee's summary (a missing flag follows `counted`)."""
    return bool(event["counted"]) and event.get("staff_counted") is not False


async def staff_counted(client: AsyncClient) -> int:
    return sum(counted_for_staff(e) for e in await submitted_events(client))


async def test_sixty_one_star_scores_from_twelve_networks_within_a_minute_count_three(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    for i in range(60):
        clock.now += timedelta(seconds=1)
        response = await submit(
            client,
            submission(staff_code="DP-001", **ONE_STAR),
            device=f"made-up-device-{i}",
            address=f"198.51.{i % 12}.{10 + i}",
        )
        assert response.status_code == 201, response.text
    events = await submitted_events(client)
    assert len(events) == 60
    assert all(e["counted"] for e in events)  # the unit's IKM counts them as before
    assert await staff_counted(client) == 3
    queue = (await client.get(f"{PREFIX}/moderation/queue?limit=500", headers=ADMIN)).json()[
        "items"
    ]
    held = [q for q in queue if q["staff_status"] == "held"]
    assert len(held) == 57
    assert all("staff_low_score_burst" in q["staff_hold_reasons"] for q in held)


async def test_scores_paced_from_one_address_over_hours_count_once(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    for i in range(20):
        clock.now += timedelta(minutes=70)
        response = await submit(
            client,
            submission(staff_code="DP-001", visit_date=clock.now.date().isoformat(), **ONE_STAR),
            device=f"fresh-device-{i}" if i % 2 else None,
            address="203.0.113.50",
        )
        assert response.status_code == 201, response.text
    assert await staff_counted(client) == 1
    queue = (await client.get(f"{PREFIX}/moderation/queue", headers=ADMIN)).json()["items"]
    assert all("staff_repeat_address" in q["staff_hold_reasons"] for q in queue)


async def test_addresses_of_one_ipv6_subscriber_are_one_address(client: AsyncClient) -> None:
    await create_point(client)
    for i in range(5):
        await submit(
            client,
            submission(staff_code="DP-001", overall_rating=5),
            device=f"device-{i}",
            address=f"2001:db8:1:2::{i + 1:x}",
        )
    assert await staff_counted(client) == 1


async def test_one_device_counts_once_whatever_address_it_uses(client: AsyncClient) -> None:
    await create_point(client)
    for i in range(4):
        await submit(
            client,
            submission(staff_code="DP-001", overall_rating=5),
            device="the-same-phone",
            address=f"192.0.{i}.7",
        )
    assert await staff_counted(client) == 1


async def test_one_network_counts_a_few_times(client: AsyncClient) -> None:
    await create_point(client)
    for i in range(6):
        await submit(
            client,
            submission(staff_code="DP-001", overall_rating=5),
            device=f"device-{i}",
            address=f"100.64.7.{i + 1}",
        )
    assert await staff_counted(client) == 3


async def test_ordinary_citizens_all_count(client: AsyncClient, clock: Clock) -> None:
    await create_point(client)
    for i, rating in enumerate([5, 4, 1, 3, 5, 2, 4, 5, 1, 4]):
        clock.now += timedelta(minutes=37)
        await submit(
            client,
            submission(staff_code="DP-001", overall_rating=rating),
            device=f"phone-{i}",
            address=f"10.{i}.0.1",
        )
    assert await staff_counted(client) == 10


async def test_someone_who_usually_gets_low_scores_is_not_held_on_an_ordinary_day(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    start = clock.now
    # Two low scores a day for the previous 89 days, from different citizens.
    for day in range(89):
        for n in range(2):
            clock.now = start - timedelta(days=89 - day, hours=n)
            await submit(
                client,
                submission(
                    staff_code="DP-001", visit_date=clock.now.date().isoformat(), **ONE_STAR
                ),
                device=f"d-{day}-{n}",
                address=f"10.{day}.{n}.1",
            )
    clock.now = start
    before = await staff_counted(client)
    assert before == 178
    # Today five, well within 3 x their usual two a day.
    for n in range(5):
        clock.now += timedelta(minutes=5)
        await submit(
            client,
            submission(staff_code="DP-001", **ONE_STAR),
            device=f"today-{n}",
            address=f"172.16.{n}.1",
        )
    assert await staff_counted(client) - before == 5


async def test_a_moderator_releases_a_held_attribution_and_sees_why_it_was_held(
    client: AsyncClient,
) -> None:
    await create_point(client)
    for i in range(2):
        await submit(
            client,
            submission(staff_code="DP-001", overall_rating=5),
            device=f"device-{i}",
            address="203.0.113.9",
        )
    [held] = (await client.get(f"{PREFIX}/moderation/queue", headers=UNIT_HEAD)).json()["items"]
    assert held["staff_hold_reasons"] == ["staff_repeat_address"]
    assert held["counted"] is True  # the unit's IKM counts it all the same
    fid = held["feedback_id"]
    wrong = await client.post(
        f"{PREFIX}/moderation/{fid}/scores",
        json={"unit": "discard", "reason": "x"},
        headers=UNIT_HEAD,
    )
    assert wrong.status_code == 409  # the unit's scores were never held
    released = await client.post(
        f"{PREFIX}/moderation/{fid}/scores",
        json={"staff": "count", "reason": "dua anggota keluarga, satu rumah"},
        headers=UNIT_HEAD,
    )
    assert released.status_code == 200, released.text
    assert released.json()["staff_status"] == "counted"
    outbox = messaging.outbox
    async with client.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        [payload] = (
            await session.execute(
                select(outbox.c.payload).where(
                    outbox.c.event_type == "id.denpasar.kinerja.feedback.scores_reviewed.v1"
                )
            )
        ).one()
    data = json.loads(payload)["data"]
    assert (data["feedback_id"], data["counted"], data["staff_counted"]) == (fid, True, True)
    assert (await client.get(f"{PREFIX}/moderation/queue", headers=UNIT_HEAD)).json()["items"] == []
