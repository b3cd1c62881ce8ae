"""HTTP routes of the IKM service."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kinerja_reporting.exports.charts import ikm_trend_svg
from kinerja_reporting.exports.formats import Format, Table, negotiate, render
from kinerja_reporting.ikm import service
from kinerja_reporting.ikm.schemas import IkmReport, IkmTrend
from kinerja_reporting.pagination import Limit, Offset, Page
from kinerja_shared.app import ReadSessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/ikm", tags=["ikm"], responses=problem_responses(401, 403, 404, 422))

PeriodKey = Annotated[str, Query(alias="period", description="2026, 2026-Q1 or 2026-03")]
FormatParam = Annotated[str | None, Query(alias="format", description="json, csv or xlsx")]
Subunits = Annotated[bool, Query(description="Pool the unit's whole subtree (default true)")]
TABLE_FORMATS = (Format.JSON, Format.CSV, Format.XLSX)
COLUMNS = [
    "scope",
    "scope_id",
    "name",
    "period_key",
    "respondents",
    "ikm",
    "band",
    *[f"nrr_u{i}" for i in range(1, 10)],
    "service_users",
    "required_sample",
    "sample",
    "previous_ikm",
    "change",
]


def _row(report: IkmReport) -> list[object]:
    nrr = {e.element: e.nrr for e in report.elements}
    return [
        report.scope,
        report.scope_id,
        report.name,
        report.period_key,
        report.respondents,
        report.ikm,
        report.band,
        *[nrr.get(f"U{i}") for i in range(1, 10)],
        report.sample.service_users,
        report.sample.required,
        report.sample.state,
        report.trend.previous_ikm,
        report.trend.change,
    ]


@router.get("/units", response_model=Page[IkmReport], summary="IKM of every unit")
async def list_unit_ikm(
    request: Request,
    session: ReadSessionDep,
    identity: CurrentIdentity,
    period_key: PeriodKey,
    limit: Limit = 100,
    offset: Offset = 0,
    subunits: Subunits = True,
    fmt: FormatParam = None,
) -> Response:
    """IKM of every unit you may read, each pooled over its subtree, as a page."""
    chosen = negotiate(request, fmt, allowed=TABLE_FORMATS)
    found = await service.unit_reports(
        session, identity=identity, period_key=period_key, subunits=subunits
    )
    page = found if chosen is not Format.JSON else found[offset : offset + limit]
    return render(
        chosen,
        body=Page[IkmReport](items=page, total=len(found), limit=limit, offset=offset),
        table=Table(COLUMNS, [_row(r) for r in page]),
        filename=f"ikm-units-{period_key}",
    )


@router.get("/units/{unit_id}", response_model=IkmReport, summary="IKM of a unit")
async def get_unit_ikm(
    request: Request,
    session: ReadSessionDep,
    identity: CurrentIdentity,
    unit_id: str,
    period_key: PeriodKey,
    subunits: Subunits = True,
    fmt: FormatParam = None,
) -> Response:
    """Respondents, NRR per element, IKM, band, sample adequacy and trend of a unit."""
    chosen = negotiate(request, fmt, allowed=TABLE_FORMATS)
    report = await service.unit_report(
        session, identity=identity, unit_id=unit_id, period_key=period_key, subunits=subunits
    )
    return render(
        chosen,
        body=report,
        table=Table(COLUMNS, [_row(report)]),
        filename=f"ikm-{unit_id}-{period_key}",
    )


@router.get("/units/{unit_id}/trend", response_model=IkmTrend, summary="IKM trend of a unit")
async def get_unit_trend(
    request: Request,
    session: ReadSessionDep,
    identity: CurrentIdentity,
    unit_id: str,
    period_key: PeriodKey,
    count: Annotated[int, Query(ge=1, le=service.MAX_TREND_POINTS)] = 12,
    subunits: Subunits = True,
    fmt: Annotated[str | None, Query(alias="format", description="json, csv, xlsx or svg")] = None,
) -> Response:
    """The unit's IKM over the ``count`` periods ending with ``period`` (svg: a line chart)."""
    chosen = negotiate(request, fmt, allowed=(*TABLE_FORMATS, Format.SVG))
    trend = await service.unit_trend(
        session,
        identity=identity,
        unit_id=unit_id,
        period_key=period_key,
        count=count,
        subunits=subunits,
    )
    return render(
        chosen,
        body=trend,
        table=Table(
            ["period_key", "respondents", "ikm", "band"],
            [[p.period_key, p.respondents, p.ikm, p.band] for p in trend.points],
        ),
        filename=f"ikm-trend-{unit_id}-{period_key}",
        svg=ikm_trend_svg(f"IKM {unit_id}", [(p.period_key, p.ikm) for p in trend.points]),
    )


@router.get("/service-points", response_model=Page[IkmReport], summary="IKM of every service point")
async def list_service_point_ikm(
    request: Request,
    session: ReadSessionDep,
    identity: CurrentIdentity,
    period_key: PeriodKey,
    unit_id: Annotated[str | None, Query(description="Only this unit's subtree")] = None,
    limit: Limit = 100,
    offset: Offset = 0,
    fmt: FormatParam = None,
) -> Response:
    """IKM of every service point you may read, as a page."""
    chosen = negotiate(request, fmt, allowed=TABLE_FORMATS)
    found = await service.service_point_reports(
        session, identity=identity, period_key=period_key, unit_id=unit_id
    )
    page = found if chosen is not Format.JSON else found[offset : offset + limit]
    return render(
        chosen,
        body=Page[IkmReport](items=page, total=len(found), limit=limit, offset=offset),
        table=Table(COLUMNS, [_row(r) for r in page]),
        filename=f"ikm-service-points-{period_key}",
    )


@router.get(
    "/service-points/{service_point_id}", response_model=IkmReport, summary="IKM of a service point"
)
async def get_service_point_ikm(
    request: Request,
    session: ReadSessionDep,
    identity: CurrentIdentity,
    service_point_id: str,
    period_key: PeriodKey,
    fmt: FormatParam = None,
) -> Response:
    """Respondents, NRR per element, IKM, band, sample and trend of one service point."""
    chosen = negotiate(request, fmt, allowed=TABLE_FORMATS)
    report = await service.service_point_report(
        session, identity=identity, service_point_id=service_point_id, period_key=period_key
    )
    return render(
        chosen,
        body=report,
        table=Table(COLUMNS, [_row(report)]),
        filename=f"ikm-{service_point_id}-{period_key}",
    )
