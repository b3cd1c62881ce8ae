"""Events on the real broker reach a real receiver, signed, in order per key, retried,
redelivered, paused and dead-lettered as the subscription's owner sees."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from contextlib import AbstractAsyncContextManager
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col
from standardwebhooks.webhooks import Webhook, WebhookVerificationError
from webhooks.conftest import URL, SettingsFactory, client_of, publish, subscribe
from webhooks.receiving import Received, Receiver, running_receiver

from kinerja_shared.events.types.appraisal import UnitUpserted
from kinerja_webhooks.deliveries import repository
from kinerja_webhooks.deliveries.retention import RETENTION
from kinerja_webhooks.models import Delivery
from kinerja_webhooks.settings import WebhooksSettings
from support.common import eventually

pytestmark = pytest.mark.kafka

Start = Callable[[WebhooksSettings], AbstractAsyncContextManager[FastAPI]]


def unit(unit_id: str, name: str = "Dinas") -> UnitUpserted:
    """A unit event (keyed by the unit)."""
    return UnitUpserted(unit_id=unit_id, code=unit_id.upper(), name=name, kind="dinas")


async def deliveries(
    client: httpx.AsyncClient, headers: dict[str, str], subscription: dict[str, Any], **params: Any
) -> list[dict[str, Any]]:
    """The subscription's deliveries, newest first."""
    response = await client.get(
        f"{URL}/subscriptions/{subscription['id']}/deliveries", params=params, headers=headers
    )
    assert response.status_code == 200, response.text
    items: list[dict[str, Any]] = response.json()["items"]
    return items


async def test_a_delivery_is_the_cloudevent_signed_so_that_the_library_verifies_it(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    [event_id] = await publish(app.state.settings, unit("u1"))
    await eventually(lambda: len(receiver.accepted) == 1, message="no delivery")
    got = receiver.accepted[0]
    verified = Webhook(subscription["secret"]).verify(got.body, got.headers)
    assert verified["id"] == event_id
    assert verified["type"] == "id.denpasar.kinerja.unit.upserted.v1"
    assert verified["data"]["unit_id"] == "u1"
    assert got.headers["content-type"] == "application/cloudevents+json"


async def test_a_delivery_does_not_verify_with_another_secret(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    await subscribe(client, payroll, receiver.url)
    other = await subscribe(client, payroll, receiver.url + "/other", event_types=["skp.*"])
    await publish(app.state.settings, unit("u1"))
    await eventually(lambda: len(receiver.accepted) == 1, message="no delivery")
    got = receiver.accepted[0]
    with pytest.raises(WebhookVerificationError, match="No matching signature"):
        Webhook(other["secret"]).verify(got.body, got.headers)


async def test_a_receiver_failing_three_times_gets_the_event_once_in_the_end_and_in_order(
    make_settings: SettingsFactory, start: Start, payroll: dict[str, str]
) -> None:
    async with (
        running_receiver(fail_first=3) as receiver,
        start(make_settings()) as app,
        client_of(app) as client,
    ):
        subscription = await subscribe(client, payroll, receiver.url)
        ids = await publish(
            app.state.settings, unit("u1", "first"), unit("u1", "second"), unit("u1", "third")
        )
        await eventually(lambda: len(receiver.accepted) == 3, message="not all delivered")
        assert receiver.accepted_ids() == ids
        assert [r.event["id"] for r in receiver.requests[:4]] == [ids[0]] * 4
        [*_, first] = await deliveries(client, payroll, subscription)
        assert (first["status"], first["attempts"], first["response_code"]) == ("delivered", 4, 204)


async def test_one_key_waits_for_its_earlier_event_while_other_keys_go_on(
    make_settings: SettingsFactory, start: Start, payroll: dict[str, str]
) -> None:
    async with (
        running_receiver(fail_first=2) as receiver,
        start(make_settings(retry_first_seconds=0.2, retry_longest_seconds=0.2)) as app,
        client_of(app) as client,
    ):
        await subscribe(client, payroll, receiver.url)
        [u1_first, _u2, u1_second] = await publish(
            app.state.settings, unit("u1", "a"), unit("u2"), unit("u1", "b")
        )
        await eventually(lambda: len(receiver.accepted) == 3, message="not all delivered")
        order = receiver.accepted_ids()
        assert order.index(u1_first) < order.index(u1_second)


async def test_redelivering_one_delivery_sends_it_again_with_the_same_webhook_id(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    await publish(app.state.settings, unit("u1"))
    await eventually(lambda: len(receiver.accepted) == 1, message="no delivery")
    [delivery] = await deliveries(client, payroll, subscription)
    response = await client.post(
        f"{URL}/subscriptions/{subscription['id']}/deliveries/{delivery['id']}/redeliver",
        headers=payroll,
    )
    assert response.status_code == 200, response.text
    assert response.json()["status"] == "pending"
    await eventually(lambda: len(receiver.accepted) == 2, message="not delivered again")
    first, again = receiver.accepted
    assert again.headers["webhook-id"] == first.headers["webhook-id"] == delivery["id"]
    assert again.body == first.body


async def test_a_redelivery_asked_for_while_the_delivery_is_in_flight_is_not_lost(
    make_settings: SettingsFactory, start: Start, payroll: dict[str, str]
) -> None:
    async with (
        running_receiver(held=True) as receiver,
        start(make_settings()) as app,
        client_of(app) as client,
    ):
        subscription = await subscribe(client, payroll, receiver.url)
        await publish(app.state.settings, unit("u1"))
        await eventually(lambda: receiver.arrived == 1, message="no delivery arrived")
        [delivery] = await deliveries(client, payroll, subscription)
        response = await client.post(
            f"{URL}/subscriptions/{subscription['id']}/deliveries/{delivery['id']}/redeliver",
            headers=payroll,
        )
        assert response.status_code == 200, response.text
        receiver.release()
        await eventually(lambda: len(receiver.accepted) == 2, message="redelivery lost")
        # The receiver has answered; the worker records that a moment later.
        await eventually(
            lambda: _all_delivered(client, payroll, subscription, 1), message="not settled"
        )


async def test_a_redelivery_committed_while_an_attempt_is_being_settled_is_not_lost(
    make_settings: SettingsFactory,
    start: Start,
    payroll: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker reads the delivery it settles, then writes it: a redelivery asked for in
    between (by the API, in its own transaction) must survive that write, whether it commits
    at once (SQLite) or waits for the worker's lock on the subscription (PostgreSQL)."""
    async with (
        running_receiver() as receiver,
        start(make_settings(run_delivery=False)) as app,
        client_of(app) as client,
    ):
        subscription = await subscribe(client, payroll, receiver.url)
        await publish(app.state.settings, unit("u1"))
        await eventually(lambda: _count(client, payroll, subscription, 1), message="not queued")
        [delivery] = await deliveries(client, payroll, subscription)
        read = repository.by_sequence
        redelivered: list[asyncio.Future[httpx.Response]] = []

        async def read_then_redeliver(session: AsyncSession, sequence: int) -> Delivery | None:
            found = await read(session, sequence)
            path = f"{URL}/subscriptions/{subscription['id']}/deliveries/{delivery['id']}"
            await meanwhile(redelivered, client.post(f"{path}/redeliver", headers=payroll))
            return found

        monkeypatch.setattr(repository, "by_sequence", read_then_redeliver)
        worker = app.state.runtime.worker
        assert await worker.run_once() == 1
        monkeypatch.undo()
        response = await redelivered[0]
        assert response.status_code == 200, response.text
        [after] = await deliveries(client, payroll, subscription)
        assert (after["status"], after["attempts"]) == ("pending", 0)
        assert await worker.run_once() == 1
        assert len(receiver.accepted) == 2
        [again] = await deliveries(client, payroll, subscription)
        assert again["status"] == "delivered"


async def meanwhile(
    started: list[asyncio.Future[httpx.Response]], request: Awaitable[httpx.Response]
) -> None:
    """Send a request as another client would, at this point of the worker's transaction,
    and give it half a second to go as far as it can: it may have to wait for the worker's
    locks, and then it is answered after the worker commits."""
    started.append(asyncio.ensure_future(request))
    await asyncio.wait(started, timeout=0.5)


async def test_settling_an_attempt_and_resuming_its_subscription_at_once_both_succeed(
    make_settings: SettingsFactory,
    start: Start,
    payroll: dict[str, str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The worker settles a failed attempt (its delivery, then its subscription's
    failing_since) while the owner resumes the subscription (the subscription, then its
    pending deliveries). Taken in opposite orders, the two rows deadlocked on PostgreSQL and
    one of the two failed; both lock the subscription first now."""
    async with (
        running_receiver(fail_first=1) as receiver,
        start(make_settings(run_delivery=False)) as app,
        client_of(app) as client,
    ):
        subscription = await subscribe(client, payroll, receiver.url)
        await publish(app.state.settings, unit("u1"))
        await eventually(lambda: _count(client, payroll, subscription, 1), message="not queued")
        record = repository.record_attempt
        resumed: list[asyncio.Future[httpx.Response]] = []

        async def record_then_resume(*args: Any, **kwargs: Any) -> bool:
            written = await record(*args, **kwargs)
            path = f"{URL}/subscriptions/{subscription['id']}/resume"
            await meanwhile(resumed, client.post(path, headers=payroll))
            return written

        monkeypatch.setattr(repository, "record_attempt", record_then_resume)
        assert await app.state.runtime.worker.run_once() == 1
        monkeypatch.undo()
        response = await resumed[0]
        assert response.status_code == 200, response.text
        assert response.json()["failing_since"] is None
        assert [r.answered for r in receiver.requests] == [500]


async def test_redelivering_since_a_time_sends_everything_since_again_in_order(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    [before] = await publish(app.state.settings, unit("u0"))
    await eventually(lambda: len(receiver.accepted) == 1, message="no delivery")
    since = datetime.now(UTC)
    later = await publish(app.state.settings, unit("u1", "a"), unit("u1", "b"))
    await eventually(lambda: len(receiver.accepted) == 3, message="not delivered")
    response = await client.post(
        f"{URL}/subscriptions/{subscription['id']}/redeliver",
        json={"since": since.isoformat()},
        headers=payroll,
    )
    assert response.json() == {"redelivered": 2}
    await eventually(lambda: len(receiver.accepted) == 5, message="not delivered again")
    assert receiver.accepted_ids() == [before, *later, *later]


async def test_a_paused_subscription_gets_nothing_until_resumed_and_then_everything_in_order(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    base = f"{URL}/subscriptions/{subscription['id']}"
    paused = await client.post(f"{base}/pause", headers=payroll)
    assert (paused.json()["status"], paused.json()["paused_reason"]) == (
        "paused",
        "paused by its owner",
    )
    ids = await publish(app.state.settings, unit("u1", "a"), unit("u1", "b"))
    await eventually(
        lambda: _count(client, payroll, subscription, 2), message="deliveries not queued"
    )
    assert receiver.requests == []
    resumed = await client.post(f"{base}/resume", headers=payroll)
    assert resumed.json()["status"] == "active"
    await eventually(lambda: len(receiver.accepted) == 2, message="not delivered after resume")
    assert receiver.accepted_ids() == ids


async def _count(
    client: httpx.AsyncClient, headers: dict[str, str], subscription: dict[str, Any], n: int
) -> bool:
    return len(await deliveries(client, headers, subscription)) == n


async def test_a_subscription_failing_too_long_is_paused_with_the_reason_shown_to_its_owner(
    make_settings: SettingsFactory, start: Start, payroll: dict[str, str]
) -> None:
    async with (
        running_receiver(fail_first=1000) as receiver,
        start(make_settings(pause_after_failing_seconds=0)) as app,
        client_of(app) as client,
    ):
        subscription = await subscribe(client, payroll, receiver.url)
        await publish(app.state.settings, unit("u1"))
        url = f"{URL}/subscriptions/{subscription['id']}"

        async def paused() -> bool:
            return (await client.get(url, headers=payroll)).json()["status"] == "paused"

        await eventually(paused, message="not paused")
        shown = (await client.get(url, headers=payroll)).json()
        assert shown["paused_reason"].startswith("paused automatically")
        assert "HTTP 500" in shown["paused_reason"]
        assert len(receiver.requests) == 1


async def test_a_delivery_failing_past_the_horizon_is_dead_lettered_and_shown(
    make_settings: SettingsFactory, start: Start, payroll: dict[str, str]
) -> None:
    async with (
        running_receiver(fail_first=1000) as receiver,
        start(make_settings(retry_horizon_seconds=0)) as app,
        client_of(app) as client,
    ):
        subscription = await subscribe(client, payroll, receiver.url)
        await publish(app.state.settings, unit("u1"), unit("u1", "behind"))

        async def both_dead() -> bool:
            found = await deliveries(client, payroll, subscription, status="dead")
            return len(found) == 2

        await eventually(both_dead, message="not dead-lettered")
        [behind, first] = await deliveries(client, payroll, subscription)
        assert (first["status"], first["response_code"], first["last_error"]) == (
            "dead",
            500,
            "HTTP 500",
        )
        assert first["dead_at"] is not None
        assert first["next_attempt_at"] is None
        assert behind["status"] == "dead"
        assert len(receiver.requests) == 2


async def test_only_the_event_types_and_units_subscribed_to_are_delivered(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    await subscribe(
        client, payroll, receiver.url, event_types=["appraisal.unit.*"], unit_ids=["u2"]
    )
    [_, wanted] = await publish(app.state.settings, unit("u1"), unit("u2"))
    await eventually(lambda: len(receiver.accepted) >= 1, message="no delivery")
    assert receiver.accepted_ids() == [wanted]


async def test_pending_deliveries_survive_a_restart(
    make_settings: SettingsFactory, start: Start, payroll: dict[str, str], receiver: Receiver
) -> None:
    settings = make_settings()
    async with (
        start(settings.model_copy(update={"run_delivery": False})) as app,
        client_of(app) as client,
    ):
        subscription = await subscribe(client, payroll, receiver.url)
        [event_id] = await publish(settings, unit("u1"))
        await eventually(lambda: _count(client, payroll, subscription, 1), message="not queued")
    assert receiver.requests == []
    async with start(settings):
        await eventually(lambda: len(receiver.accepted) == 1, message="not delivered")
    assert receiver.accepted_ids() == [event_id]


async def rotate(
    client: httpx.AsyncClient, headers: dict[str, str], subscription: dict[str, Any], **body: Any
) -> dict[str, Any]:
    """Rotate the subscription's secret (with this body, if any); the answer."""
    response = await client.post(
        f"{URL}/subscriptions/{subscription['id']}/secret", json=body or None, headers=headers
    )
    assert response.status_code == 200, response.text
    rotated: dict[str, Any] = response.json()
    return rotated


async def delivered_after(
    app: FastAPI, receiver: Receiver, unit_id: str
) -> tuple[Received, Callable[[str], bool]]:
    """Publish one event, wait for its delivery; it and a check of a secret against it."""
    [event_id] = await publish(app.state.settings, unit(unit_id))
    await eventually(lambda: event_id in receiver.accepted_ids(), message="no delivery")
    got = next(r for r in receiver.accepted if r.event["id"] == event_id)

    def verifies(secret: str) -> bool:
        try:
            Webhook(secret).verify(got.body, got.headers)
        except WebhookVerificationError:
            return False
        return True

    return got, verifies


async def test_a_secret_rotated_at_once_signs_alone_the_deliveries_after_it(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    rotated = await rotate(client, payroll, subscription, previous_secret_valid_seconds=0)
    new_secret = rotated["secret"]
    assert new_secret.startswith("whsec_")
    assert new_secret != subscription["secret"]
    assert rotated["previous_secret_until"] is None
    got, verifies = await delivered_after(app, receiver, "u1")
    assert (verifies(new_secret), verifies(subscription["secret"])) == (True, False)
    assert len(got.headers["webhook-signature"].split(" ")) == 1


async def test_a_rotated_secret_and_the_one_it_replaced_both_sign_for_a_day_unless_told(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    before = datetime.now(UTC)
    rotated = await rotate(client, payroll, subscription)
    until = datetime.fromisoformat(rotated["previous_secret_until"])
    assert timedelta(hours=24) <= until - before < timedelta(hours=24, minutes=1)
    shown = await client.get(f"{URL}/subscriptions/{subscription['id']}", headers=payroll)
    assert datetime.fromisoformat(shown.json()["previous_secret_until"]) == until
    got, verifies = await delivered_after(app, receiver, "u1")
    assert (verifies(rotated["secret"]), verifies(subscription["secret"])) == (True, True)
    assert got.headers["webhook-signature"].split(" ")[0] == Webhook(rotated["secret"]).sign(
        got.headers["webhook-id"],
        datetime.fromtimestamp(int(got.headers["webhook-timestamp"]), UTC),
        got.body.decode(),
    )


async def test_a_second_rotation_keeps_only_the_secret_it_replaces(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    first = await rotate(client, payroll, subscription)
    second = await rotate(client, payroll, subscription, previous_secret_valid_seconds=3600)
    _, verifies = await delivered_after(app, receiver, "u1")
    assert [verifies(s["secret"]) for s in (subscription, first, second)] == [False, True, True]


async def test_a_replaced_secret_signs_no_more_once_its_overlap_is_over(
    app: FastAPI, client: httpx.AsyncClient, payroll: dict[str, str], receiver: Receiver
) -> None:
    subscription = await subscribe(client, payroll, receiver.url)
    rotated = await rotate(client, payroll, subscription, previous_secret_valid_seconds=1)
    await asyncio.sleep(1.1)
    got, verifies = await delivered_after(app, receiver, "u1")
    assert (verifies(rotated["secret"]), verifies(subscription["secret"])) == (True, False)
    assert len(got.headers["webhook-signature"].split(" ")) == 1


async def test_settled_deliveries_past_their_retention_are_removed_and_pending_ones_kept(
    make_settings: SettingsFactory, start: Start, payroll: dict[str, str]
) -> None:
    async with (
        running_receiver() as receiver,
        start(make_settings(delivery_retention_days=30)) as app,
        client_of(app) as client,
    ):
        sent = await subscribe(client, payroll, receiver.url)
        held = await subscribe(client, payroll, receiver.url + "/held")
        paused = await client.post(f"{URL}/subscriptions/{held['id']}/pause", headers=payroll)
        assert paused.status_code == 200, paused.text
        ids = await publish(app.state.settings, unit("u1"), unit("u2"), unit("u3"), unit("u4"))
        await eventually(lambda: len(receiver.accepted) == 4, message="not delivered")
        await eventually(
            lambda: _all_delivered(client, payroll, sent, 4), message="not settled as delivered"
        )
        await eventually(lambda: _count(client, payroll, held, 4), message="not queued")
        by_event = {d["event_id"]: d["id"] for d in await deliveries(client, payroll, sent)}
        now = datetime.now(UTC)
        aged = {
            by_event[ids[0]]: ("delivered", now - timedelta(days=31)),
            by_event[ids[1]]: ("dead", now - timedelta(days=30, minutes=1)),
            by_event[ids[2]]: ("delivered", now - timedelta(days=29, hours=23)),
        }
        async with app.state.runtime.sessions() as session, session.begin():
            for delivery_id, (status, last) in aged.items():
                await session.execute(
                    update(Delivery)
                    .where(col(Delivery.id) == delivery_id)
                    .values(status=status, last_attempt_at=last, created_at=last)
                )
            await session.execute(  # a paused subscription's queue, pending for 90 days
                update(Delivery)
                .where(col(Delivery.subscription_id) == held["id"])
                .values(created_at=now - timedelta(days=90))
            )
        await app.state.runtime.run_periodic(RETENTION)
        kept = {d["id"] for d in await deliveries(client, payroll, sent)}
        assert kept == {by_event[ids[2]], by_event[ids[3]]}
        assert len(await deliveries(client, payroll, held)) == 4


async def _all_delivered(
    client: httpx.AsyncClient, headers: dict[str, str], subscription: dict[str, Any], n: int
) -> bool:
    found = await deliveries(client, headers, subscription, status="delivered")
    return len(found) == n
