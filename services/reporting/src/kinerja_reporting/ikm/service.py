"""Use cases of the IKM reports: read totals, roll up the unit tree, compute the index.

The reader is a caller or `access.PUBLIC`, the public reading published results.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Literal

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.access import Reader, readable_units, require_unit
from kinerja_reporting.directory.repository import (
    service_point,
    service_points,
    service_users_of_period,
)
from kinerja_reporting.directory.tree import UnitTree
from kinerja_reporting.directory.tree_cache import cached_tree, is_current, load_tree, read_tree
from kinerja_reporting.domain.ikm import ElementTotals, IkmResult, compute_ikm
from kinerja_reporting.domain.periods import InvalidPeriodKey, Period, parse_period
from kinerja_reporting.domain.rounding import round_half_up
from kinerja_reporting.domain.sample import (
    Adequacy,
    not_assessable,
    pooled_population,
    sample_adequacy,
)
from kinerja_reporting.ikm.repository import (
    all_totals,
    pooled_totals,
    surveyed_units_of_period,
    totals,
    unit_figures,
)
from kinerja_reporting.ikm.schemas import (
    ElementNrrPublic,
    IkmReport,
    IkmTrend,
    SamplePublic,
    TrendPoint,
    TrendPublic,
)
from kinerja_reporting.models import SCOPE_POINT, SCOPE_UNIT
from kinerja_shared.auth import Identity
from kinerja_shared.problems import InvalidInput, ResourceNotFound

MAX_TREND_POINTS = 60
#: Years a report may ask for: far enough from the ends that trends can look back.
MIN_REPORT_YEAR = 1900
MAX_REPORT_YEAR = 9998


def period_of(key: str, field: str = "query.period") -> Period:
    """Parse a period key from a request, as a 422 with the field when malformed."""
    try:
        period = parse_period(key)
    except InvalidPeriodKey as exc:
        raise InvalidInput(str(exc), field=field) from exc
    if not MIN_REPORT_YEAR <= period.year <= MAX_REPORT_YEAR:
        raise InvalidInput(
            f"year must be {MIN_REPORT_YEAR}-{MAX_REPORT_YEAR}, got {period.year}", field=field
        )
    return period


async def _pooled(
    session: AsyncSession, scope: str, ids: Iterable[str], period_key: str
) -> ElementTotals:
    return ElementTotals.combine((await totals(session, scope, ids, period_key)).values())


def _report(
    *,
    scope: Literal["service_point", "unit"],
    scope_id: str,
    name: str | None,
    period_key: str,
    subunits: bool,
    units: list[str],
    current: ElementTotals,
    previous: ElementTotals,
    previous_key: str,
    adequacy: Adequacy,
) -> IkmReport:
    result = compute_ikm(current)
    before = compute_ikm(previous)
    change = (
        round_half_up(result.ikm - before.ikm, 2)
        if result.ikm is not None and before.ikm is not None
        else None
    )
    return IkmReport(
        scope=scope,
        scope_id=scope_id,
        name=name,
        period_key=period_key,
        includes_subunits=subunits,
        units=sorted(units),
        respondents=result.respondents,
        elements=[
            ElementNrrPublic(
                element=e.unsur.value,
                label=e.unsur.label,
                answered=e.answered,
                score_sum=e.score_sum,
                nrr=e.nrr,
            )
            for e in result.elements
        ],
        missing_elements=[u.value for u in result.missing] if result.ikm is not None else [],
        weight=None if result.weight is None else str(result.weight),
        ikm=result.ikm,
        band=None if result.band is None else result.band.value,
        band_label=result.band_label,
        sample=SamplePublic(
            service_users=adequacy.population,
            required=adequacy.required,
            respondents=adequacy.respondents,
            state=adequacy.state.value,
        ),
        trend=TrendPublic(
            previous_period_key=previous_key,
            previous_ikm=before.ikm,
            previous_respondents=before.respondents,
            change=change,
        ),
    )


def _units_of(tree: UnitTree, unit_id: str, subunits: bool) -> set[str]:
    return tree.subtree(unit_id) if subunits else {unit_id}


async def unit_report(
    session: AsyncSession,
    *,
    identity: Reader,
    unit_id: str,
    period_key: str,
    subunits: bool,
) -> IkmReport:
    """IKM of a unit, pooled over its subtree unless ``subunits`` is false.

    Usually one statement: the subtree comes from the process's cached unit tree, and the
    statement reading the totals also reads the tree's version; when the version is not the
    cached one the tree is read again and the totals with it.
    """
    period = period_of(period_key)
    previous = period.previous()
    cached = cached_tree(session)
    fresh = cached is None
    if cached is None:
        cached = await read_tree(session)
    units = _units_of(cached.tree, unit_id, subunits)
    figures = await unit_figures(session, units, period.key, previous.key)
    if not fresh and not is_current(cached, figures.tree_version):
        cached = await read_tree(session)
        units = _units_of(cached.tree, unit_id, subunits)
        figures = await unit_figures(session, units, period.key, previous.key)
    tree = cached.tree
    require_unit(identity, tree, unit_id)
    if unit_id not in tree.parents and figures.current.respondents == 0:
        raise ResourceNotFound(f"no unit {unit_id} is known", field="unit_id")
    return _report(
        scope="unit",
        scope_id=unit_id,
        name=tree.names.get(unit_id),
        period_key=period.key,
        subunits=subunits,
        units=list(units),
        current=figures.current,
        previous=figures.previous,
        previous_key=previous.key,
        adequacy=sample_adequacy(
            figures.current.respondents,
            pooled_population(figures.service_users, figures.unreported_units),
        ),
    )


async def unit_reports(
    session: AsyncSession, *, identity: Reader, period_key: str, subunits: bool
) -> list[IkmReport]:
    """IKM of every unit the caller may read (rolled up), by unit id."""
    period = period_of(period_key)
    tree = await load_tree(session)
    allowed = readable_units(identity, tree)
    now = await all_totals(session, SCOPE_UNIT, period.key)
    before = await all_totals(session, SCOPE_UNIT, period.previous().key)
    users = await service_users_of_period(session, period.key)
    surveyed = await surveyed_units_of_period(session, period.key)
    known = sorted(set(tree.parents) | set(now))
    reports: list[IkmReport] = []
    for unit_id in known:
        if allowed is not None and unit_id not in allowed:
            continue
        units = _units_of(tree, unit_id, subunits)
        current = ElementTotals.combine(now[u] for u in units if u in now)
        reports.append(
            _report(
                scope="unit",
                scope_id=unit_id,
                name=tree.names.get(unit_id),
                period_key=period.key,
                subunits=subunits,
                units=list(units),
                current=current,
                previous=ElementTotals.combine(before[u] for u in units if u in before),
                previous_key=period.previous().key,
                adequacy=sample_adequacy(current.respondents, _population(users, surveyed, units)),
            )
        )
    return reports


def _population(users: dict[str, int], surveyed: set[str], units: set[str]) -> int | None:
    """N of some units from every unit's report and the surveyed units of the period."""
    reported = [users[u] for u in units if u in users]
    return pooled_population(
        sum(reported) if reported else None, len((units & surveyed) - users.keys())
    )


async def service_point_report(
    session: AsyncSession, *, identity: Reader, service_point_id: str, period_key: str
) -> IkmReport:
    """IKM of one service point (its sample is not assessable: docs/domain.md, reporting)."""
    period = period_of(period_key)
    point = await service_point(session, service_point_id)
    current = await _pooled(session, SCOPE_POINT, [service_point_id], period.key)
    if point is None:
        raise ResourceNotFound(f"no service point {service_point_id} is known", field="id")
    tree = await load_tree(session)
    require_unit(identity, tree, point.unit_id)
    previous = period.previous()
    return _report(
        scope="service_point",
        scope_id=service_point_id,
        name=point.name,
        period_key=period.key,
        subunits=False,
        units=[point.unit_id],
        current=current,
        previous=await _pooled(session, SCOPE_POINT, [service_point_id], previous.key),
        previous_key=previous.key,
        adequacy=not_assessable(current.respondents),
    )


async def service_point_reports(
    session: AsyncSession, *, identity: Reader, period_key: str, unit_id: str | None
) -> list[IkmReport]:
    """IKM of every service point the caller may read (optionally of one unit's subtree);
    their samples are not assessable (docs/domain.md, reporting)."""
    period = period_of(period_key)
    tree = await load_tree(session)
    allowed = readable_units(identity, tree)
    if unit_id is not None:
        require_unit(identity, tree, unit_id)
        allowed = tree.subtree(unit_id)
    points = await service_points(session, allowed)
    now = await totals(session, SCOPE_POINT, [p.service_point_id for p in points], period.key)
    before = await totals(
        session, SCOPE_POINT, [p.service_point_id for p in points], period.previous().key
    )
    reports: list[IkmReport] = []
    for p in points:
        current = now.get(p.service_point_id, ElementTotals())
        reports.append(
            _report(
                scope="service_point",
                scope_id=p.service_point_id,
                name=p.name,
                period_key=period.key,
                subunits=False,
                units=[p.unit_id],
                current=current,
                previous=before.get(p.service_point_id, ElementTotals()),
                previous_key=period.previous().key,
                adequacy=not_assessable(current.respondents),
            )
        )
    return reports


async def unit_trend(
    session: AsyncSession,
    *,
    identity: Identity,
    unit_id: str,
    period_key: str,
    count: int,
    subunits: bool,
) -> IkmTrend:
    """The unit's IKM over ``count`` periods ending with ``period_key``."""
    period = period_of(period_key)
    tree = await load_tree(session)
    require_unit(identity, tree, unit_id)
    units = _units_of(tree, unit_id, subunits)
    periods = [period]
    while len(periods) < min(count, MAX_TREND_POINTS):
        periods.insert(0, periods[0].previous())
    pooled = await pooled_totals(session, SCOPE_UNIT, units, [p.key for p in periods])
    points = []
    for p in periods:
        result: IkmResult = compute_ikm(pooled[p.key])
        points.append(
            TrendPoint(
                period_key=p.key,
                respondents=result.respondents,
                ikm=result.ikm,
                band=None if result.band is None else result.band.value,
            )
        )
    return IkmTrend(scope="unit", scope_id=unit_id, includes_subunits=subunits, points=points)
