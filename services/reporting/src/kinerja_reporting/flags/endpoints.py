"""HTTP routes of units needing improvement."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from kinerja_reporting.access import readable_units, require_unit
from kinerja_reporting.directory.repository import load_tree
from kinerja_reporting.exports.formats import Format, Table, negotiate, render
from kinerja_reporting.flags.repository import flags
from kinerja_reporting.flags.schemas import UnitFlagPublic
from kinerja_reporting.ikm.reports import period_of
from kinerja_reporting.pagination import Limit, Offset, Page
from kinerja_reporting.publication.repository import plan_ids
from kinerja_reporting.publication.service import plan_url
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
    key = period_of(period_key).key if period_key is not None else None
    tree = await load_tree(session)
    allowed = readable_units(identity, tree)
    if unit_id is not None:
        require_unit(identity, tree, unit_id)
        allowed = tree.subtree(unit_id)
    rows, total = await flags(
        session,
        period_key=key,
        unit_ids=allowed,
        active=active,
        limit=limit if chosen is Format.JSON else 1_000_000,
        offset=offset if chosen is Format.JSON else 0,
    )
    plans = await plan_ids(session, [(r.unit_id, r.period_key) for r in rows])
    items = [
        UnitFlagPublic(
            unit_id=r.unit_id,
            unit_name=tree.names.get(r.unit_id),
            period_key=r.period_key,
            active=r.active,
            ikm=r.ikm,
            band=r.band,
            respondents=r.respondents,
            reasons=r.reasons,
            changed_at=r.changed_at,
            follow_up_plan_id=plans.get((r.unit_id, r.period_key)),
            follow_up_plan_url=(
                plan_url(plans[r.unit_id, r.period_key])
                if (r.unit_id, r.period_key) in plans
                else None
            ),
        )
        for r in rows
    ]
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
