"""Routes of deliveries: what was sent, and sending again."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kinerja_shared.app import ReadSessionDep, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.pagination import Paging
from kinerja_shared.problems import problem_responses
from kinerja_shared.schemas import Page
from kinerja_webhooks.deliveries import service
from kinerja_webhooks.deliveries.schemas import DeliveryPublic, Redelivered, RedeliverSince
from kinerja_webhooks.dependencies import Now
from kinerja_webhooks.domain.states import DeliveryStatus

router = APIRouter(prefix="/subscriptions/{subscription_id}", tags=["deliveries"])


@router.get(
    "/deliveries",
    summary="A subscription's recent deliveries",
    responses=problem_responses(403, 404),
)
async def list_deliveries(
    subscription_id: str,
    identity: CurrentIdentity,
    session: ReadSessionDep,
    page: Paging,
    status: Annotated[DeliveryStatus | None, Query(description="Only this status.")] = None,
) -> Page[DeliveryPublic]:
    """Newest first: status, response code, attempts and the next attempt."""
    return await service.list_of_subscription(
        session, identity=identity, subscription_id=subscription_id, status=status, page=page
    )


@router.post(
    "/deliveries/{delivery_id}/redeliver",
    summary="Deliver one delivery again",
    responses=problem_responses(403, 404),
)
async def redeliver_one(
    subscription_id: str,
    delivery_id: str,
    identity: CurrentIdentity,
    session: SessionDep,
    now: Now,
) -> DeliveryPublic:
    """Pending again from scratch, with the same webhook-id, in its key's order."""
    return await service.redeliver_one(
        session,
        identity=identity,
        subscription_id=subscription_id,
        delivery_id=delivery_id,
        now=now,
    )


@router.post(
    "/redeliver",
    summary="Deliver everything since a time again",
    responses=problem_responses(403, 404),
)
async def redeliver_since(
    subscription_id: str,
    data: Annotated[RedeliverSince, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    now: Now,
) -> Redelivered:
    """Every delivery created since then, whatever became of it, in order."""
    return await service.redeliver_since(
        session, identity=identity, subscription_id=subscription_id, since=data.since, now=now
    )
