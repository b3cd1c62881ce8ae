"""HTTP routes of the fairness view."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kinerja_reporting.dependencies import SettingsDep
from kinerja_reporting.exports.formats import Format, Table, negotiate, render
from kinerja_reporting.fairness.schemas import AppraiserFairness
from kinerja_reporting.fairness.service import fairness
from kinerja_reporting.pagination import Limit, Offset, Page
from kinerja_shared.app import SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(
    prefix="/fairness", tags=["fairness"], responses=problem_responses(401, 403, 422)
)
COLUMNS = [
    "appraiser_id",
    "period_key",
    "rated_staff",
    "sangat_baik_percent",
    "unit_sangat_baik_percent",
    "baik_or_better_percent",
    "unit_baik_or_better_percent",
    "scored_staff",
    "staff_median",
    "unit_median",
    "flags",
]


@router.get("", response_model=Page[AppraiserFairness], summary="Fairness per appraiser")
async def list_fairness(
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    identity: CurrentIdentity,
    period_key: Annotated[str, Query(alias="period")],
    appraiser_id: str | None = None,
    limit: Limit = 100,
    offset: Offset = 0,
    fmt: Annotated[str | None, Query(alias="format")] = None,
) -> Response:
    """Each appraiser's predikat distribution against the unit's and the staff's citizen
    scores, with flags and the numbers behind them (never a verdict)."""
    chosen = negotiate(request, fmt, allowed=(Format.JSON, Format.CSV, Format.XLSX))
    items = await fairness(
        session,
        identity=identity,
        settings=settings,
        period_key=period_key,
        appraiser_id=appraiser_id,
    )
    page = items if chosen is not Format.JSON else items[offset : offset + limit]
    return render(
        chosen,
        body=Page[AppraiserFairness](items=page, total=len(items), limit=limit, offset=offset),
        table=Table(
            COLUMNS,
            [
                [
                    i.appraiser_id,
                    i.period_key,
                    i.rated_staff,
                    i.sangat_baik.appraiser_percent,
                    i.sangat_baik.unit_percent,
                    i.baik_or_better.appraiser_percent,
                    i.baik_or_better.unit_percent,
                    i.scored_staff,
                    i.staff_median,
                    i.unit_median,
                    [f.explanation for f in i.flags],
                ]
                for i in page
            ],
        ),
        filename=f"fairness-{period_key}",
    )
