"""Use cases of subscriptions: create, read, change, pause, resume, delete, rotate secrets."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_shared.auth import Identity
from kinerja_shared.environment import Environment
from kinerja_shared.pagination import PageParams
from kinerja_shared.problems import Conflict, InvalidInput
from kinerja_shared.schemas import Page
from kinerja_webhooks import access, event_names
from kinerja_webhooks.deliveries import repository as deliveries
from kinerja_webhooks.deliveries.network import target_refusal
from kinerja_webhooks.domain.event_types import unknown_patterns
from kinerja_webhooks.domain.states import ACTIVE, PAUSED
from kinerja_webhooks.models import Subscription
from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import SecretBox, new_secret
from kinerja_webhooks.subscriptions import repository
from kinerja_webhooks.subscriptions.schemas import (
    SecretRotated,
    SecretRotation,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
    SubscriptionUpdate,
)


def to_public(subscription: Subscription) -> SubscriptionPublic:
    """What the owner sees."""
    return SubscriptionPublic.model_validate(subscription, from_attributes=True)


async def _check_target(settings: WebhooksSettings, url: str) -> None:
    refusal = await target_refusal(
        url,
        production=settings.environment is Environment.PRODUCTION,
        allowed=settings.allowed_networks(),
    )
    if refusal is not None:
        raise InvalidInput(f"target_url refused: {refusal}", field="body.target_url")


def _check_event_types(patterns: list[str]) -> None:
    unknown = unknown_patterns(patterns, event_names.known())
    if unknown:
        raise InvalidInput(
            f"no event type is named by {', '.join(unknown)} (see docs/events/catalogue.md)",
            field="body.event_types",
        )


async def create(
    session: AsyncSession,
    box: SecretBox,
    settings: WebhooksSettings,
    *,
    identity: Identity,
    data: SubscriptionCreate,
    now: datetime,
) -> SubscriptionCreated:
    """Register a subscription; its secret is answered this once."""
    owner = access.manager(identity)
    await _check_target(settings, data.target_url)
    _check_event_types(data.event_types)
    if await repository.count_of_owner(session, owner) >= settings.max_subscriptions_per_client:
        raise Conflict(
            f"a client may hold at most {settings.max_subscriptions_per_client} subscriptions; "
            "delete one or change an existing one"
        )
    secret = new_secret()
    subscription = Subscription(
        id=str(uuid.uuid4()),
        owner=owner,
        target_url=data.target_url,
        event_types=list(dict.fromkeys(data.event_types)),
        unit_ids=sorted(set(data.unit_ids)) if data.unit_ids else None,
        description=data.description,
        secret_encrypted=box.seal(secret),
        status=ACTIVE,
        created_at=now,
        updated_at=now,
    )
    await repository.add(session, subscription)
    return SubscriptionCreated(**to_public(subscription).model_dump(), secret=secret)


async def find(
    session: AsyncSession, *, identity: Identity, subscription_id: str, lock: bool = False
) -> Subscription:
    """One of the caller's subscriptions (404 for any other); `lock` it to change it or its
    deliveries (`repository.lock_all`: the service's lock order)."""
    owner = access.manager(identity)
    found = await repository.by_id(session, subscription_id, lock=lock)
    return access.own(found, owner=owner, owner_of=found.owner if found else None)


async def list_own(
    session: AsyncSession, *, identity: Identity, page: PageParams
) -> Page[SubscriptionPublic]:
    """The caller's subscriptions."""
    owner = access.manager(identity)
    rows, total = await repository.page_of_owner(session, owner, page)
    return Page(
        items=[to_public(s) for s in rows], total=total, limit=page.limit, offset=page.offset
    )


async def update(
    session: AsyncSession,
    settings: WebhooksSettings,
    *,
    identity: Identity,
    subscription_id: str,
    data: SubscriptionUpdate,
    now: datetime,
) -> SubscriptionPublic:
    """Change target, event types, units or description. (Not locked: nothing of its
    deliveries changes, and the target's check resolves names, which may take a while.)"""
    subscription = await find(session, identity=identity, subscription_id=subscription_id)
    if data.target_url is not None:
        await _check_target(settings, data.target_url)
        subscription.target_url = data.target_url
    if data.event_types is not None:
        _check_event_types(data.event_types)
        subscription.event_types = list(dict.fromkeys(data.event_types))
    if "unit_ids" in data.model_fields_set:
        subscription.unit_ids = sorted(set(data.unit_ids)) if data.unit_ids else None
    if data.description is not None:
        subscription.description = data.description
    subscription.updated_at = now
    return to_public(subscription)


async def pause(
    session: AsyncSession, *, identity: Identity, subscription_id: str, now: datetime
) -> SubscriptionPublic:
    """Stop deliveries; new events are still queued and go out, in order, on resume."""
    subscription = await find(
        session, identity=identity, subscription_id=subscription_id, lock=True
    )
    if subscription.status != PAUSED:
        subscription.status = PAUSED
        subscription.paused_reason = "paused by its owner"
        subscription.paused_at = now
        subscription.updated_at = now
    return to_public(subscription)


async def resume(
    session: AsyncSession, *, identity: Identity, subscription_id: str, now: datetime
) -> SubscriptionPublic:
    """Deliver again, starting with what is pending (due at once)."""
    subscription = await find(
        session, identity=identity, subscription_id=subscription_id, lock=True
    )
    subscription.status = ACTIVE
    subscription.paused_reason = None
    subscription.paused_at = None
    subscription.failing_since = None
    subscription.updated_at = now
    await deliveries.make_pending_due(session, subscription.id, now)
    return to_public(subscription)


async def delete(session: AsyncSession, *, identity: Identity, subscription_id: str) -> None:
    """Delete a subscription and its deliveries."""
    subscription = await find(
        session, identity=identity, subscription_id=subscription_id, lock=True
    )
    await deliveries.remove_of_subscription(session, subscription.id)
    await repository.remove(session, subscription)


async def rotate_secret(
    session: AsyncSession,
    box: SecretBox,
    *,
    identity: Identity,
    subscription_id: str,
    rotation: SecretRotation,
    now: datetime,
) -> SecretRotated:
    """A new signing secret, answered this once. Deliveries from now on are signed with it and,
    for the overlap asked for, also with the secret it replaces (docs/domain.md, Webhooks)."""
    subscription = await find(
        session, identity=identity, subscription_id=subscription_id, lock=True
    )
    secret = new_secret()
    overlap = rotation.previous_secret_valid_seconds
    subscription.previous_secret_encrypted = subscription.secret_encrypted if overlap else None
    subscription.previous_secret_until = now + timedelta(seconds=overlap) if overlap else None
    subscription.secret_encrypted = box.seal(secret)
    subscription.updated_at = now
    return SecretRotated(
        subscription_id=subscription.id,
        secret=secret,
        previous_secret_until=subscription.previous_secret_until,
    )
