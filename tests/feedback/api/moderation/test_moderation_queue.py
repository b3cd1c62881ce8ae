"""The moderation queue is a page like every other list: newest first unless asked."""

from __future__ import annotations

from datetime import timedelta

from feedback.fixtures import PREFIX, UNIT_HEAD, Clock, create_point, submission, submit
from httpx import AsyncClient


async def _three_comments(client: AsyncClient, clock: Clock) -> list[str]:
    """Three submissions waiting for moderation, a minute apart; their ids, oldest first."""
    await create_point(client)
    ids = []
    for n in range(3):
        body = submission(comment=f"Komentar nomor {n}")
        response = await submit(client, body, device=f"device-{n}", address=f"203.0.113.{n}")
        assert response.status_code == 201, response.text
        ids.append(response.json()["feedback_id"])
        clock.now += timedelta(minutes=1)
    return ids


async def test_the_moderation_queue_is_a_page_newest_first(
    client: AsyncClient, clock: Clock
) -> None:
    _, middle, newest = await _three_comments(client, clock)
    page = await client.get(f"{PREFIX}/moderation/queue?limit=2", headers=UNIT_HEAD)
    assert page.status_code == 200
    body = page.json()
    assert [item["feedback_id"] for item in body["items"]] == [newest, middle]
    assert (body["total"], body["limit"], body["offset"]) == (3, 2, 0)


async def test_the_next_page_of_the_moderation_queue_starts_at_its_offset(
    client: AsyncClient, clock: Clock
) -> None:
    oldest, _, _ = await _three_comments(client, clock)
    page = await client.get(f"{PREFIX}/moderation/queue?limit=2&offset=2", headers=UNIT_HEAD)
    assert [item["feedback_id"] for item in page.json()["items"]] == [oldest]


async def test_the_moderation_queue_lists_oldest_first_when_asked(
    client: AsyncClient, clock: Clock
) -> None:
    oldest, middle, newest = await _three_comments(client, clock)
    page = await client.get(f"{PREFIX}/moderation/queue?order=oldest", headers=UNIT_HEAD)
    assert [item["feedback_id"] for item in page.json()["items"]] == [oldest, middle, newest]


async def test_an_unknown_order_of_the_moderation_queue_is_refused_naming_it(
    client: AsyncClient,
) -> None:
    refused = await client.get(f"{PREFIX}/moderation/queue?order=random", headers=UNIT_HEAD)
    assert refused.status_code == 422
    assert refused.headers["content-type"].startswith("application/problem+json")
    assert refused.json()["errors"][0]["field"] == "query.order"
