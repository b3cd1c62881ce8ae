"""HTTP routes of the performance views."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kinerja_reporting.dependencies import SettingsDep
from kinerja_reporting.exports.charts import bars_svg
from kinerja_reporting.exports.formats import Format, Table, negotiate, render
from kinerja_reporting.pagination import Limit, Offset, Page
from kinerja_reporting.performance import service
from kinerja_reporting.performance.schemas import (
    DistributionPublic,
    EmployeeFlag,
    EmployeeHistory,
)
from kinerja_shared.app import ReadSessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(
    prefix="/performance", tags=["performance"], responses=problem_responses(401, 403, 422)
)
PeriodKey = Annotated[str, Query(alias="period", description="2026, 2026-Q1 or 2026-03")]
FormatParam = Annotated[str | None, Query(alias="format")]
TABLES = (Format.JSON, Format.CSV, Format.XLSX)


@router.get(
    "/units/{unit_id}/distribution",
    response_model=DistributionPublic,
    summary="Predikat distribution against the kurva",
)
async def get_distribution(
    request: Request,
    session: ReadSessionDep,
    identity: CurrentIdentity,
    unit_id: str,
    period_key: PeriodKey,
    fmt: Annotated[str | None, Query(alias="format", description="json, csv, xlsx or svg")] = None,
) -> Response:
    """Employees per predikat, and each curve constraint with how many employees it is off."""
    chosen = negotiate(request, fmt, allowed=(*TABLES, Format.SVG))
    body = await service.distribution(
        session, identity=identity, unit_id=unit_id, period_key=period_key
    )
    return render(
        chosen,
        body=body,
        table=Table(["predikat", "employees"], list(body.counts.items())),
        filename=f"distribution-{unit_id}-{period_key}",
        svg=bars_svg(f"Predikat {unit_id} {body.period_key}", list(body.counts.items())),
    )


@router.get("/employees/{employee_id}/history", response_model=EmployeeHistory, summary="History")
async def get_history(
    request: Request,
    session: ReadSessionDep,
    identity: CurrentIdentity,
    employee_id: str,
    fmt: FormatParam = None,
) -> Response:
    """An employee's final assessments across periods, objection decisions applied."""
    chosen = negotiate(request, fmt, allowed=TABLES)
    body = await service.employee_history(session, identity=identity, employee_id=employee_id)
    columns = list(body.entries[0].model_dump()) if body.entries else ["period_key"]
    return render(
        chosen,
        body=body,
        table=Table(columns, [list(e.model_dump().values()) for e in body.entries]),
        filename=f"history-{employee_id}",
    )


def _flag_page(
    chosen: Format, items: list[EmployeeFlag], limit: int, offset: int, filename: str
) -> Response:
    page = items if chosen is not Format.JSON else items[offset : offset + limit]
    return render(
        chosen,
        body=Page[EmployeeFlag](items=page, total=len(items), limit=limit, offset=offset),
        table=Table(list(EmployeeFlag.model_fields), [list(i.model_dump().values()) for i in page]),
        filename=filename,
    )


@router.get("/award-candidates", response_model=Page[EmployeeFlag], summary="Award candidates")
async def list_award_candidates(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    identity: CurrentIdentity,
    limit: Limit = 100,
    offset: Offset = 0,
    fmt: FormatParam = None,
) -> Response:
    """Employees with Sangat Baik in the latest annual periods (local policy, default 2)."""
    chosen = negotiate(request, fmt, allowed=TABLES)
    items = await service.award_candidates(session, identity=identity, settings=settings)
    return _flag_page(chosen, items, limit, offset, "award-candidates")


@router.get("/development-needs", response_model=Page[EmployeeFlag], summary="Development needs")
async def list_development_needs(
    request: Request,
    session: ReadSessionDep,
    settings: SettingsDep,
    identity: CurrentIdentity,
    period_key: PeriodKey,
    limit: Limit = 100,
    offset: Offset = 0,
    fmt: FormatParam = None,
) -> Response:
    """Employees with Butuh Perbaikan or lower in the period (local policy)."""
    chosen = negotiate(request, fmt, allowed=TABLES)
    items = await service.development_needs(
        session, identity=identity, settings=settings, period_key=period_key
    )
    return _flag_page(chosen, items, limit, offset, f"development-needs-{period_key}")
