"""Rate limits per device and address (429 with Retry-After) and duplicate detection."""

from __future__ import annotations

from datetime import timedelta

from feedback.fixtures import PREFIX, UNIT_HEAD, Clock, create_point, submission, submit
from httpx import ASGITransport, AsyncClient

from support.gateway_assertion import AsGateway


async def test_a_device_over_its_limit_gets_429_with_retry_after(
    client: AsyncClient, app_factory, clock: Clock
) -> None:
    await create_point(client)
    app = app_factory(device_rate_limit=2, device_rate_window_seconds=3600)
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://f", auth=AsGateway("feedback")
    ) as limited:
        for n in range(2):
            ok = await submit(limited, submission(), device="dev-x", address=f"198.51.100.{n}")
            assert ok.status_code == 201
        refused = await submit(limited, submission(), device="dev-x", address="198.51.100.9")
        assert refused.status_code == 429
        assert int(refused.headers["Retry-After"]) > 0
        assert refused.json()["errors"][0]["field"] == "header.X-Device-Id"
        clock.now += timedelta(hours=1)
        later = await submit(limited, submission(visit_date="2026-03-04"), device="dev-x")
        assert later.status_code == 201
    await app.state.runtime.engine.dispose()


async def test_an_address_over_its_limit_gets_429(client: AsyncClient, app_factory) -> None:
    await create_point(client)
    app = app_factory(address_rate_limit=1)
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://f", auth=AsGateway("feedback")
    ) as limited:
        assert (await submit(limited, submission(), device="a")).status_code == 201
        refused = await submit(limited, submission(), device="b")
        assert refused.status_code == 429
        assert refused.json()["errors"][0]["field"] == "client_address"
    await app.state.runtime.engine.dispose()


async def test_same_device_point_and_day_is_kept_but_held_and_not_counted(
    client: AsyncClient,
) -> None:
    await create_point(client)
    first = await submit(client, submission(), device="phone-7")
    second = await submit(client, submission(overall_rating=1), device="phone-7")
    other_day = await submit(client, submission(visit_date="2026-03-02"), device="phone-7")
    assert first.json()["held_for_review"] is False
    assert second.status_code == 201
    assert second.json()["held_for_review"] is True
    assert other_day.json()["held_for_review"] is False
    queue = (await client.get(f"{PREFIX}/moderation/queue", headers=UNIT_HEAD)).json()["items"]
    held = [q for q in queue if q["feedback_id"] == second.json()["feedback_id"]]
    assert held[0]["suspicion_reasons"] == ["duplicate"]
    assert held[0]["counted"] is False


async def test_a_burst_from_one_address_is_held(client: AsyncClient, app_factory) -> None:
    await create_point(client)
    app = app_factory(burst_threshold=3)
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://f", auth=AsGateway("feedback")
    ) as burst:
        held = [
            (await submit(burst, submission(), device=f"d{n}")).json()["held_for_review"]
            for n in range(4)
        ]
    assert held == [False, False, True, True]
    await app.state.runtime.engine.dispose()


async def test_the_tenth_submission_from_one_address_within_the_burst_window_is_held(
    client: AsyncClient,
) -> None:
    await create_point(client)
    receipts = [
        (await submit(client, submission(), device=f"phone-{n}", address="198.51.100.77")).json()
        for n in range(10)
    ]
    assert [r["held_for_review"] for r in receipts] == [False] * 9 + [True]
    queue = (await client.get(f"{PREFIX}/moderation/queue", headers=UNIT_HEAD)).json()["items"]
    [held] = [q for q in queue if q["feedback_id"] == receipts[9]["feedback_id"]]
    assert held["suspicion_reasons"] == ["burst_from_address"]
