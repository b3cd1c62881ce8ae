"""HTTP routes of employee feedback summaries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kinerja_reporting.dependencies import SettingsDep
from kinerja_reporting.exports.formats import Format, Table, negotiate, render
from kinerja_reporting.pagination import Limit, Offset, Page
from kinerja_reporting.summaries import service
from kinerja_reporting.summaries.schemas import FeedbackSummaryPublic
from kinerja_shared.app import SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(
    prefix="/summaries", tags=["feedback summaries"], responses=problem_responses(401, 403, 422)
)
PeriodKey = Annotated[str, Query(alias="period", description="2026, 2026-Q1 or 2026-03")]
FormatParam = Annotated[str | None, Query(alias="format", description="json, csv or xlsx")]
COLUMNS = list(FeedbackSummaryPublic.model_fields)


@router.get("", response_model=Page[FeedbackSummaryPublic], summary="Feedback summaries")
async def list_summaries(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    identity: CurrentIdentity,
    period_key: PeriodKey,
    limit: Limit = 100,
    offset: Offset = 0,
    fmt: FormatParam = None,
) -> Response:
    """Summaries of every employee named in feedback during the period."""
    chosen = negotiate(request, fmt, allowed=(Format.JSON, Format.CSV, Format.XLSX))
    items, total = await service.summaries(
        session,
        identity=identity,
        period_key=period_key,
        minimum=settings.minimum_responses,
        limit=limit if chosen is Format.JSON else None,
        offset=offset if chosen is Format.JSON else 0,
    )
    return render(
        chosen,
        body=Page[FeedbackSummaryPublic](items=items, total=total, limit=limit, offset=offset),
        table=Table(COLUMNS, [list(i.model_dump().values()) for i in items]),
        filename=f"feedback-summaries-{period_key}",
    )


@router.get(
    "/employees/{employee_id}",
    response_model=FeedbackSummaryPublic,
    summary="An employee's feedback summary",
)
async def get_summary(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    identity: CurrentIdentity,
    employee_id: str,
    period_key: PeriodKey,
    fmt: FormatParam = None,
) -> Response:
    """Responses, U6 and U7 means and overall satisfaction of one employee."""
    chosen = negotiate(request, fmt, allowed=(Format.JSON, Format.CSV, Format.XLSX))
    item = await service.employee_summary(
        session,
        identity=identity,
        employee_id=employee_id,
        period_key=period_key,
        minimum=settings.minimum_responses,
    )
    return render(
        chosen,
        body=item,
        table=Table(COLUMNS, [list(item.model_dump().values())]),
        filename=f"feedback-summary-{employee_id}-{period_key}",
    )
