"""Reading the improvement flags (written by ``projections/flags.py``), with the follow-up
plan of each flagged unit and period."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.access import readable_units, require_unit
from kinerja_reporting.directory.tree_cache import load_tree
from kinerja_reporting.flags.repository import flags
from kinerja_reporting.flags.schemas import UnitFlagPublic
from kinerja_reporting.ikm.service import period_of
from kinerja_reporting.publication.repository import plan_ids
from kinerja_reporting.publication.service import plan_url
from kinerja_shared.auth import Identity


async def unit_flags(
    session: AsyncSession,
    *,
    identity: Identity,
    period_key: str | None,
    unit_id: str | None,
    active: bool | None,
    limit: int,
    offset: int,
) -> tuple[list[UnitFlagPublic], int]:
    """Flags of the units the caller may read (optionally of one unit's subtree), a page of
    them and how many there are."""
    key = period_of(period_key).key if period_key is not None else None
    tree = await load_tree(session)
    allowed = readable_units(identity, tree)
    if unit_id is not None:
        require_unit(identity, tree, unit_id)
        allowed = tree.subtree(unit_id)
    rows, total = await flags(
        session, period_key=key, unit_ids=allowed, active=active, limit=limit, offset=offset
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
    return items, total
