"""Public routes: published IKM results with the follow-up plans next to them. No token (the
gateway lets anyone through, rate-limited per address), cacheable (Cache-Control, ETag, 304)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kinerja_reporting.dependencies import SettingsDep
from kinerja_reporting.pagination import Limit, Offset, Page
from kinerja_reporting.publication import service
from kinerja_reporting.publication.caching import NOT_MODIFIED, cacheable_json
from kinerja_reporting.publication.schemas import (
    PublishedPlan,
    PublishedServicePointResult,
    PublishedUnitResult,
)
from kinerja_shared.app import ReadSessionDep
from kinerja_shared.problems import problem_responses

router = APIRouter(
    prefix="/public",
    tags=["publication"],
    responses={**problem_responses(404, 422), **NOT_MODIFIED},
)

PeriodKey = Annotated[str, Query(alias="period", description="2026, 2026-Q1 or 2026-03")]
Subunits = Annotated[bool, Query(description="Pool the unit's whole subtree (default true)")]


@router.get(
    "/ikm/units", response_model=Page[PublishedUnitResult], summary="Published IKM of every unit"
)
async def list_published_units(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    period_key: PeriodKey,
    limit: Limit = 100,
    offset: Offset = 0,
    subunits: Subunits = True,
) -> Response:
    """Every unit's IKM for a period (band, respondents, sample adequacy, every NRR), each
    with its follow-up plan and progress."""
    found = await service.unit_results(session, period_key=period_key, subunits=subunits)
    page = Page[PublishedUnitResult](
        items=found[offset : offset + limit], total=len(found), limit=limit, offset=offset
    )
    return cacheable_json(request, page, max_age=settings.public_cache_max_age_seconds)


@router.get(
    "/ikm/units/{unit_id}", response_model=PublishedUnitResult, summary="Published IKM of a unit"
)
async def get_published_unit(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    unit_id: str,
    period_key: PeriodKey,
    subunits: Subunits = True,
) -> Response:
    """A unit's IKM for a period and, next to it, its follow-up plan and progress."""
    result = await service.unit_result(
        session, unit_id=unit_id, period_key=period_key, subunits=subunits
    )
    return cacheable_json(request, result, max_age=settings.public_cache_max_age_seconds)


@router.get(
    "/ikm/service-points",
    response_model=Page[PublishedServicePointResult],
    summary="Published IKM of every service point",
)
async def list_published_service_points(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    period_key: PeriodKey,
    unit_id: Annotated[str | None, Query(description="Only this unit's subtree")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
) -> Response:
    """Every service point's IKM for a period, each with its unit's follow-up plan."""
    found = await service.service_point_results(session, period_key=period_key, unit_id=unit_id)
    page = Page[PublishedServicePointResult](
        items=found[offset : offset + limit], total=len(found), limit=limit, offset=offset
    )
    return cacheable_json(request, page, max_age=settings.public_cache_max_age_seconds)


@router.get(
    "/ikm/service-points/{service_point_id}",
    response_model=PublishedServicePointResult,
    summary="Published IKM of a service point",
)
async def get_published_service_point(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    service_point_id: str,
    period_key: PeriodKey,
) -> Response:
    """A service point's IKM for a period and its unit's follow-up plan and progress."""
    result = await service.service_point_result(
        session, service_point_id=service_point_id, period_key=period_key
    )
    return cacheable_json(request, result, max_age=settings.public_cache_max_age_seconds)


@router.get(
    "/follow-up-plans/{plan_id}",
    response_model=PublishedPlan,
    summary="A published follow-up plan",
)
async def get_published_plan(
    request: Request, session: ReadSessionDep, settings: SettingsDep, plan_id: str
) -> Response:
    """A unit's follow-up plan (rencana tindak lanjut): actions per SKM element, owner by
    public staff code, due dates and every progress step."""
    found = await service.plan(session, plan_id=plan_id)
    return cacheable_json(request, found, max_age=settings.public_cache_max_age_seconds)
