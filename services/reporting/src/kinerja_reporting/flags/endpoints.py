"""HTTP routes of units needing improvement."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kinerja_reporting.exports.formats import Format, Table, negotiate, render
from kinerja_reporting.flags import service
from kinerja_reporting.flags.schemas import UnitFlagPublic
from kinerja_reporting.pagination import Limit, Offset, Page
from kinerja_shared.app import SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(
    prefix="/flags", tags=["improvement flags"], responses=problem_responses(401, 403, 422)
)


@router.get("", response_model=Page[UnitFlagPublic], summary="Units needing improvement")
async def list_flags(
    request: Request,
    session: SessionDep,
    identity: CurrentIdentity,
    period_key: Annotated[str | None, Query(alias="period")] = None,
    unit_id: Annotated[str | None, Query(description="Only this unit's subtree")] = None,
    active: Annotated[
        bool | None, Query(description="Only raised (true) or cleared (false)")
    ] = True,
    limit: Limit = 100,
    offset: Offset = 0,
    fmt: Annotated[str | None, Query(alias="format")] = None,
) -> Response:
    """Flags of the units you may read (BKPSDM: all; a unit head: their subtree), optionally
    of one unit's subtree."""
    chosen = negotiate(request, fmt, allowed=(Format.JSON, Format.CSV, Format.XLSX))
    items, total = await service.unit_flags(
        session,
        identity=identity,
        period_key=period_key,
        unit_id=unit_id,
        active=active,
        limit=limit if chosen is Format.JSON else 1_000_000,
        offset=offset if chosen is Format.JSON else 0,
    )
    return render(
        chosen,
        body=Page[UnitFlagPublic](items=items, total=total, limit=limit, offset=offset),
        table=Table(
            [
                "unit_id",
                "unit_name",
                "period_key",
                "active",
                "ikm",
                "band",
                "respondents",
                "reasons",
            ],
            [
                [
                    i.unit_id,
                    i.unit_name,
                    i.period_key,
                    i.active,
                    i.ikm,
                    i.band,
                    i.respondents,
                    [str(r.get("explanation")) for r in i.reasons],
                ]
                for i in items
            ],
        ),
        filename="units-needing-improvement",
    )
