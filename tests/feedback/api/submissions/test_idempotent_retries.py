"""A retry gets the first response whatever changed since; a new key is stored exactly once.

The submission does not look the key up before storing (the unique key and the rollback of
the whole transaction settle retries), so these pin down that a retry is still answered from
the stored response when it would now be refused: over a rate limit, with a visit date that
has become too old, and that a retry never uses up a rate limit.
"""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta

from feedback.fixtures import Clock, create_point, submission, submit
from httpx import ASGITransport, AsyncClient
from sqlalchemy import func, select

from kinerja_feedback.models import Feedback, messaging
from support.gateway_assertion import AsGateway


async def counts(app: object) -> tuple[int, int]:
    """Feedback rows and outbox rows of feedback.submitted."""
    outbox = messaging.outbox
    async with app.state.runtime.sessions() as session:  # type: ignore[attr-defined]
        rows = await session.scalar(select(func.count()).select_from(Feedback))
        events = await session.scalar(
            select(func.count())
            .select_from(outbox)
            .where(outbox.c.event_type.like("%feedback.submitted.v1"))
        )
    return int(rows or 0), int(events or 0)


async def test_retries_do_not_use_up_the_rate_limit_and_are_answered_over_it(
    client: AsyncClient, app_factory
) -> None:
    await create_point(client)
    app = app_factory(device_rate_limit=2, device_rate_window_seconds=3600)
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://f", auth=AsGateway("feedback")
    ) as limited:
        key = str(uuid.uuid4())
        first = await submit(limited, submission(), key=key, device="dev-r")
        assert first.status_code == 201
        for _ in range(3):
            retry = await submit(limited, submission(), key=key, device="dev-r")
            assert (retry.status_code, retry.json()) == (201, first.json())
        second = await submit(limited, submission(comment="dua"), device="dev-r")
        assert second.status_code == 201  # the retries counted nothing
        refused = await submit(limited, submission(comment="tiga"), device="dev-r")
        assert refused.status_code == 429
        late_retry = await submit(limited, submission(), key=key, device="dev-r")
        assert (late_retry.status_code, late_retry.json()) == (201, first.json())
        reused = await submit(limited, submission(overall_rating=1), key=key, device="dev-r")
        assert reused.status_code == 409
        assert await counts(app) == (2, 2)
    await app.state.runtime.engine.dispose()


async def test_a_retry_is_answered_after_its_visit_date_became_too_old(
    client: AsyncClient, clock: Clock
) -> None:
    await create_point(client)
    key = str(uuid.uuid4())
    first = await submit(client, submission(), key=key)
    assert first.status_code == 201
    clock.now += timedelta(days=365)
    fresh = await submit(client, submission())
    assert fresh.status_code == 422
    retry = await submit(client, submission(), key=key)
    assert (retry.status_code, retry.json()) == (201, first.json())
    assert await counts(client.app) == (1, 1)  # type: ignore[attr-defined]


async def test_a_retry_to_a_service_point_now_unknown_is_answered(client: AsyncClient) -> None:
    await create_point(client)
    key = str(uuid.uuid4())
    first = await submit(client, submission(), key=key)
    assert first.status_code == 201
    unknown = await submit(client, submission(service_point="no-such-point"), key=key)
    assert unknown.status_code == 409  # same key, different request, as before
    assert unknown.json()["errors"][0]["field"] == "header.Idempotency-Key"
    new_unknown = await submit(client, submission(service_point="no-such-point"))
    assert new_unknown.status_code == 422


async def test_many_concurrent_new_keys_and_retries_store_each_once(client: AsyncClient) -> None:
    await create_point(client)
    keys = [str(uuid.uuid4()) for _ in range(12)]
    bodies = [submission(overall_rating=n % 5 + 1) for n in range(12)]
    calls = [
        submit(client, bodies[n], key=keys[n], device=f"dev-{n}", address=f"198.51.100.{n}")
        for n in range(12)
        for _ in range(3)
    ]
    responses = await asyncio.gather(*calls)
    assert {r.status_code for r in responses} == {201}
    for n in range(12):
        answers = {str(r.json()) for r in responses[n * 3 : n * 3 + 3]}
        assert len(answers) == 1
    assert await counts(client.app) == (12, 12)  # type: ignore[attr-defined]
