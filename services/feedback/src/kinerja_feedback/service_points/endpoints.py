"""Routes of service points and the survey definition."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Body, Query

from kinerja_feedback.dependencies import Now, SettingsDep
from kinerja_feedback.service_points import service
from kinerja_feedback.service_points.schemas import (
    ServicePointCreate,
    ServicePointPublic,
    ServicePointUpdate,
)
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/service-points", tags=["service points"])


@router.get("", summary="Search service points by name, unit or distance")
async def search_service_points(
    session: SessionDep,
    settings: SettingsDep,
    q: Annotated[
        str | None, Query(max_length=100, description="Part of the name or unit name")
    ] = None,
    unit_id: Annotated[str | None, Query(max_length=64)] = None,
    lat: Annotated[float | None, Query(ge=-90, le=90)] = None,
    lon: Annotated[float | None, Query(ge=-180, le=180)] = None,
    radius_km: Annotated[float | None, Query(gt=0, le=100)] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 20,
) -> list[ServicePointPublic]:
    """Public: active service points; with lat/lon, nearest first within radius_km."""
    return await service.search(
        session,
        text=q,
        unit_id=unit_id,
        lat=lat,
        lon=lon,
        radius_km=radius_km or settings.search_default_radius_km,
        limit=min(limit, settings.search_max_results),
    )


@router.get(
    "/by-slug/{slug}",
    summary="Look up a service point by its QR slug",
    responses=problem_responses(404),
)
async def service_point_by_slug(slug: str, session: SessionDep) -> ServicePointPublic:
    """Public: what a QR code points at."""
    point = await service.find(session, slug)
    return await service.to_public(session, point)


@router.get("/{point_id}", summary="A service point by id", responses=problem_responses(404))
async def get_service_point(point_id: str, session: SessionDep) -> ServicePointPublic:
    """Public: one service point."""
    point = await service.find(session, point_id)
    return await service.to_public(session, point)


@router.post(
    "",
    status_code=201,
    summary="Create a service point",
    responses=problem_responses(403, 409, 422),
)
async def create_service_point(
    data: Annotated[ServicePointCreate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> ServicePointPublic:
    """bkpsdm_admin, or the unit head of its unit; publishes service_point.upserted."""
    point = await service.create_service_point(
        session, runtime.outbox, identity=identity, data=data, now=now
    )
    return await service.to_public(session, point)


@router.patch(
    "/{point_id}", summary="Change a service point", responses=problem_responses(403, 404, 422)
)
async def update_service_point(
    point_id: str,
    data: Annotated[ServicePointUpdate, Body()],
    identity: CurrentIdentity,
    session: SessionDep,
    runtime: Runtime,
    now: Now,
) -> ServicePointPublic:
    """bkpsdm_admin, or the unit head of its unit; publishes service_point.upserted."""
    point = await service.update_service_point(
        session, runtime.outbox, identity=identity, point_id=point_id, data=data, now=now
    )
    return await service.to_public(session, point)
