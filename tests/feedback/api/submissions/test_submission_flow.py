"""The mobile app's flow through HTTP: submit, retry, track, withdraw."""

from __future__ import annotations

import asyncio
import uuid

from feedback.fixtures import create_point, submission, submit, track, withdraw
from httpx import AsyncClient
from sqlalchemy import func, select

from kinerja_feedback.models import Feedback


async def count_feedback(client: AsyncClient) -> int:
    async with client.app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        return int(await session.scalar(select(func.count()).select_from(Feedback)) or 0)


async def test_the_app_submits_retries_tracks_and_withdraws(client: AsyncClient) -> None:
    await create_point(client)
    key = str(uuid.uuid4())
    body = submission(comment="Pelayanan cepat, hubungi saya di 0812-3456-7890")
    first = await submit(client, body, key=key)
    assert first.status_code == 201, first.text
    receipt = first.json()
    assert receipt["tracking_code"].startswith("KNJ-")
    assert receipt["comment_redacted"] == "Pelayanan cepat, hubungi saya di [telepon disembunyikan]"
    assert receipt["comment_status"] == "pending_moderation"
    retry = await submit(client, body, key=key)
    assert (retry.status_code, retry.json()) == (201, receipt)
    assert await count_feedback(client) == 1
    code = receipt["tracking_code"]
    tracked = await track(client, code.lower().replace("-", " "))
    assert tracked.status_code == 200
    assert tracked.json()["withdrawn"] is False
    assert tracked.json()["feedback_id"] == receipt["feedback_id"]
    withdrawn = await withdraw(client, code)
    assert withdrawn.status_code == 200
    assert withdrawn.json()["withdrawn"] is True
    again = await track(client, code)
    assert again.json()["withdrawn"] is True


async def test_ten_concurrent_retries_store_exactly_one_row(client: AsyncClient) -> None:
    await create_point(client)
    key = str(uuid.uuid4())
    body = submission()
    responses = await asyncio.gather(*(submit(client, body, key=key) for _ in range(10)))
    assert {r.status_code for r in responses} == {201}
    assert all(r.json() == responses[0].json() for r in responses)
    assert await count_feedback(client) == 1


async def test_a_reused_key_with_a_different_body_is_a_conflict(client: AsyncClient) -> None:
    await create_point(client)
    key = str(uuid.uuid4())
    assert (await submit(client, submission(), key=key)).status_code == 201
    other = await submit(client, submission(overall_rating=1), key=key)
    assert other.status_code == 409
    assert other.headers["content-type"] == "application/problem+json"
    assert other.json()["errors"][0]["field"] == "header.Idempotency-Key"
    assert await count_feedback(client) == 1
