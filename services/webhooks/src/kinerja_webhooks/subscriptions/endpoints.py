"""Routes of subscriptions (OAuth2 clients with the scope webhooks:manage)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Response

from kinerja_shared.app import ReadSessionDep, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Paging
from kinerja_shared.problems import problem_responses
from kinerja_shared.schemas import Page
from kinerja_webhooks.dependencies import Now, SecretBoxDep, SettingsDep
from kinerja_webhooks.subscriptions import service
from kinerja_webhooks.subscriptions.schemas import (
    SecretRotated,
    SecretRotation,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionPublic,
    SubscriptionUpdate,
)

router = APIRouter(prefix="/subscriptions", tags=["subscriptions"])


@router.post(
    "",
    status_code=201,
    summary="Subscribe a target to events",
    responses=problem_responses(403),
)
async def create_subscription(
    data: Annotated[SubscriptionCreate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    box: SecretBoxDep,
    settings: SettingsDep,
    now: Now,
) -> SubscriptionCreated:
    """The subscription with its signing secret, shown this once."""
    return await service.create(session, box, settings, identity=identity, data=data, now=now)


@router.get("", summary="The caller's subscriptions", responses=problem_responses(403))
async def list_subscriptions(
    identity: CurrentIdentity, session: ReadSessionDep, page: Paging
) -> Page[SubscriptionPublic]:
    """Oldest first; a paused one says why."""
    return await service.list_own(session, identity=identity, page=page)


@router.get("/{subscription_id}", summary="A subscription", responses=problem_responses(403, 404))
async def get_subscription(
    subscription_id: str, identity: CurrentIdentity, session: ReadSessionDep
) -> SubscriptionPublic:
    """One of the caller's subscriptions."""
    found = await service.find(session, identity=identity, subscription_id=subscription_id)
    return service.to_public(found)


@router.patch(
    "/{subscription_id}", summary="Change a subscription", responses=problem_responses(403, 404)
)
async def update_subscription(
    subscription_id: str,
    data: Annotated[SubscriptionUpdate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    settings: SettingsDep,
    now: Now,
) -> SubscriptionPublic:
    """Target, event types, units or description; fields left out stay."""
    return await service.update(
        session, settings, identity=identity, subscription_id=subscription_id, data=data, now=now
    )


@router.post(
    "/{subscription_id}/pause",
    summary="Pause a subscription",
    responses=problem_responses(403, 404),
)
async def pause_subscription(
    subscription_id: str, identity: CurrentIdentity, session: SessionDep, now: Now
) -> SubscriptionPublic:
    """Nothing is sent until it is resumed; events are still queued meanwhile."""
    return await service.pause(session, identity=identity, subscription_id=subscription_id, now=now)


@router.post(
    "/{subscription_id}/resume",
    summary="Resume a subscription",
    responses=problem_responses(403, 404),
)
async def resume_subscription(
    subscription_id: str, identity: CurrentIdentity, session: SessionDep, now: Now
) -> SubscriptionPublic:
    """Deliveries go out again, what is pending first, in order."""
    return await service.resume(
        session, identity=identity, subscription_id=subscription_id, now=now
    )


@router.delete(
    "/{subscription_id}",
    status_code=204,
    summary="Delete a subscription",
    responses=problem_responses(403, 404),
)
async def delete_subscription(
    subscription_id: str, identity: CurrentIdentity, session: SessionDep
) -> Response:
    """The subscription and its deliveries are gone."""
    await service.delete(session, identity=identity, subscription_id=subscription_id)
    return Response(status_code=204)


@router.post(
    "/{subscription_id}/secret",
    summary="Rotate a subscription's signing secret",
    responses=problem_responses(403, 404, 422),
)
async def rotate_secret(
    subscription_id: str,
    identity: CurrentIdentity,
    session: SessionDep,
    box: SecretBoxDep,
    now: Now,
    rotation: Annotated[SecretRotation | None, Body()] = None,
) -> SecretRotated:
    """A new secret, shown this once; every delivery from now on is signed with it and, for
    `previous_secret_valid_seconds` (a day unless told), with the secret it replaces too."""
    return await service.rotate_secret(
        session,
        box,
        identity=identity,
        subscription_id=subscription_id,
        rotation=rotation or SecretRotation(),
        now=now,
    )
