"""Use cases of deliveries: queue them from events, claim and settle attempts, list and
redeliver them."""

from __future__ import annotations

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_shared.auth import Identity
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import InvalidInput
from kinerja_shared.schemas import Page
from kinerja_webhooks import access, event_names
from kinerja_webhooks.deliveries import repository
from kinerja_webhooks.deliveries.schemas import DeliveryPublic, Redelivered
from kinerja_webhooks.deliveries.sender import Outcome
from kinerja_webhooks.domain.event_types import in_units, wanted
from kinerja_webhooks.domain.retries import RetryPolicy, gives_up, pauses, wait_seconds
from kinerja_webhooks.domain.states import DEAD, DELIVERED, PAUSED, PENDING, DeliveryStatus
from kinerja_webhooks.models import Delivery
from kinerja_webhooks.subscriptions import repository as subscriptions
from kinerja_webhooks.subscriptions.service import find as find_subscription


async def enqueue(session: AsyncSession, events: Sequence[CloudEvent], *, now: datetime) -> int:
    """Queue a delivery of each event to each subscription that wants it (in the consumer's
    transaction, with its inbox record: at least once). Returns how many."""
    every = await subscriptions.every(session)
    rows = []
    for event in events:
        name = event_names.of_type(event.type)
        if name is None:
            continue
        payload = event.model_dump_json()
        for subscription in every:
            if wanted(subscription.event_types, name) and in_units(
                subscription.unit_ids, event.data
            ):
                rows.append(
                    {
                        "id": str(uuid.uuid4()),
                        "subscription_id": subscription.id,
                        "event_id": event.id,
                        "event_type": event.type,
                        "event_key": event.subject,
                        "payload": payload,
                        "status": PENDING,
                        "attempts": 0,
                        "created_at": now,
                        "next_attempt_at": now,
                    }
                )
    await repository.add_many(session, rows)
    return len(rows)


@dataclass(frozen=True)
class Claimed:
    """A delivery a worker is to attempt now, leased to it until `lease_until`."""

    sequence: int
    lease_until: datetime
    subscription_id: str
    message_id: str
    target_url: str
    secret_sealed: str
    body: str
    #: During a rotation's overlap: the secret replaced (sealed), signing too until `until`.
    previous_secret_sealed: str | None = None
    previous_secret_until: datetime | None = None


async def claim(
    session: AsyncSession, *, now: datetime, lease_seconds: float, limit: int, row_locks: bool
) -> list[Claimed]:
    """Take deliveries due now (each the first pending of its key) for one worker."""
    until = now + timedelta(seconds=lease_seconds)
    found = await repository.claim_due(
        session,
        now=now,
        until=until,
        limit=limit,
        row_locks=row_locks,
    )
    return [
        Claimed(
            sequence=int(delivery.sequence or 0),
            lease_until=until,
            subscription_id=subscription.id,
            message_id=delivery.id,
            target_url=subscription.target_url,
            secret_sealed=subscription.secret_encrypted,
            body=delivery.payload,
            previous_secret_sealed=subscription.previous_secret_encrypted,
            previous_secret_until=subscription.previous_secret_until,
        )
        for delivery, subscription in found
    ]


async def settle(
    session: AsyncSession,
    results: Sequence[tuple[Claimed, Outcome]],
    *,
    policy: RetryPolicy,
    now: datetime,
    draw: random.Random | None = None,
) -> None:
    """Record attempts: delivered; or tried again later with back-off; or dead after the
    horizon. A subscription failing without success for too long is paused, with the reason
    (docs/domain.md, Webhooks).

    An attempt counts only while its lease holds: a delivery redelivered (or, its lease run
    out, claimed by another worker) meanwhile is left as it now stands, so that the
    redelivery asked for during the attempt is still sent. The lease is checked by the write
    itself (`repository.record_attempt`), not by a read before it: a redelivery committed
    between the two would otherwise be overwritten. The subscriptions are locked first, as
    every writer of deliveries does (`subscriptions.repository.lock_all`)."""
    rng = draw or random.Random()
    await subscriptions.lock_all(session, {claimed.subscription_id for claimed, _ in results})
    for claimed, outcome in results:
        delivery = await repository.by_sequence(session, claimed.sequence)
        if delivery is None:
            continue  # deleted meanwhile
        recorded = _attempt_recorded(delivery, outcome, policy=policy, now=now, rng=rng)
        if not await repository.record_attempt(
            session, claimed.sequence, lease_until=claimed.lease_until, values=recorded
        ):
            continue  # redelivered or taken over meanwhile, even since the read above
        subscription = await subscriptions.by_id(session, delivery.subscription_id)
        if subscription is None:
            continue
        if outcome.delivered:
            subscription.failing_since = None
            continue
        subscription.failing_since = subscription.failing_since or now
        if subscription.status != PAUSED and pauses(policy, subscription.failing_since, now):
            subscription.status = PAUSED
            subscription.paused_at = now
            subscription.updated_at = now
            subscription.paused_reason = (
                "paused automatically: deliveries have failed since "
                f"{subscription.failing_since.isoformat()} without a success; last: "
                f"{outcome.error or 'no answer'}"
            )[:1000]


def _attempt_recorded(
    delivery: Delivery, outcome: Outcome, *, policy: RetryPolicy, now: datetime, rng: random.Random
) -> dict[str, Any]:
    """What an attempt changes in its delivery: delivered; or due again after a back-off; or
    dead after the horizon."""
    first = delivery.first_attempt_at or now
    values: dict[str, Any] = {
        "attempts": delivery.attempts + 1,
        "last_attempt_at": now,
        "first_attempt_at": first,
        "response_code": outcome.response_code,
        "last_error": outcome.error,
    }
    if outcome.delivered:
        return values | {"status": DELIVERED, "delivered_at": now, "next_attempt_at": None}
    if gives_up(policy, first, now):
        return values | {"status": DEAD, "dead_at": now, "next_attempt_at": None}
    wait = wait_seconds(policy, delivery.attempts + 1, rng.random())
    return values | {"next_attempt_at": now + timedelta(seconds=wait)}


def to_public(delivery: object) -> DeliveryPublic:
    """What the owner sees."""
    return DeliveryPublic.model_validate(delivery, from_attributes=True)


async def list_of_subscription(
    session: AsyncSession,
    *,
    identity: Identity,
    subscription_id: str,
    status: DeliveryStatus | None,
    page: PageParams,
) -> Page[DeliveryPublic]:
    """A subscription's recent deliveries, newest first."""
    subscription = await find_subscription(
        session, identity=identity, subscription_id=subscription_id
    )
    rows, total = await repository.page_of_subscription(session, subscription.id, status, page)
    return Page(
        items=[to_public(d) for d in rows], total=total, limit=page.limit, offset=page.offset
    )


async def redeliver_one(
    session: AsyncSession,
    *,
    identity: Identity,
    subscription_id: str,
    delivery_id: str,
    now: datetime,
) -> DeliveryPublic:
    """Send one delivery again (any state), from scratch, with the same webhook-id."""
    subscription = await find_subscription(
        session, identity=identity, subscription_id=subscription_id, lock=True
    )
    found = await repository.by_id(session, delivery_id)
    delivery = access.own(
        found,
        owner=subscription.id,
        owner_of=found.subscription_id if found is not None else None,
        what="delivery",
    )
    await repository.requeue(session, subscription.id, since=None, ids=[delivery.id], now=now)
    await session.refresh(delivery)
    return to_public(delivery)


async def redeliver_since(
    session: AsyncSession,
    *,
    identity: Identity,
    subscription_id: str,
    since: datetime,
    now: datetime,
) -> Redelivered:
    """Send again, in their order, every delivery created since a time."""
    if since.tzinfo is None:
        raise InvalidInput(
            "since needs a UTC offset (e.g. 2026-03-01T00:00:00Z)", field="body.since"
        )
    subscription = await find_subscription(
        session, identity=identity, subscription_id=subscription_id, lock=True
    )
    count = await repository.requeue(session, subscription.id, since=since, ids=None, now=now)
    return Redelivered(redelivered=count)
