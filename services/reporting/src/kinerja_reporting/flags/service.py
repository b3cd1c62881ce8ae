"""Use cases of improvement flags: evaluate the DOMAIN.md rule when a unit's IKM changes.

A flag is stored and published when it is raised, when its reasons or band change, and when
it clears; the evidence kept is the one of that moment.

A flag is evaluated on the unit's own feedback (its service points), per month, quarter and
year. A change in period P can raise or clear the flag of P and, through the drop rule,
of the period after P; both are evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Row
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.directory.repository import service_users_by_period
from kinerja_reporting.domain.flags import IkmObservation, Reason, improvement_reasons
from kinerja_reporting.domain.ikm import ElementTotals, MutuPelayanan, compute_ikm
from kinerja_reporting.domain.periods import parse_period
from kinerja_reporting.domain.sample import sample_adequacy
from kinerja_reporting.flags.repository import flags_by_period, save_flag
from kinerja_reporting.ikm.repository import SCOPE_UNIT, totals_by_period
from kinerja_reporting.projection import Projection
from kinerja_shared.events.types.reporting import (
    ImprovementReason,
    UnitImprovementCleared,
    UnitImprovementRequired,
)


def observe(found: ElementTotals | None, population: int | None) -> IkmObservation | None:
    """A unit's own IKM for a period with its sample numbers (None without an index)."""
    if found is None:
        return None
    result = compute_ikm(found)
    return IkmObservation.of(result, sample_adequacy(result.respondents, population))


def _signature(evidence: list[dict[str, Any]]) -> list[tuple[Any, Any]]:
    # What makes a flag change: its reasons and the band, not every move of the IKM inside
    # the band (that would publish an event for each feedback to a flagged unit).
    return [(r.get("code"), r.get("band")) for r in evidence]


def _reason_json(reason: Reason) -> dict[str, Any]:
    return {
        "code": reason.code.value,
        "explanation": reason.explanation,
        "ikm": str(reason.current_ikm),
        "band": reason.current_band.value,
        "respondents": reason.current_respondents,
        "required_sample": reason.current_required_sample,
        "sample_adequate": reason.current_sample_adequate,
        "previous_ikm": None if reason.previous_ikm is None else str(reason.previous_ikm),
        "previous_respondents": reason.previous_respondents,
        "previous_sample_adequate": reason.previous_sample_adequate,
        "drop": None if reason.drop is None else str(reason.drop),
    }


async def evaluate_unit_flags(
    session: AsyncSession,
    *,
    projection: Projection,
    unit_id: str,
    period_keys: Iterable[str],
    at: datetime,
) -> None:
    """Re-evaluate a unit's flags for the periods whose IKM changed and the ones after them.

    Reads everything needed (totals, service users, stored flags of up to nine periods) in
    three queries, then writes only the flags that change.
    """
    keys: list[str] = []
    for key in period_keys:
        for candidate in (key, parse_period(key).next().key):
            if candidate not in keys:
                keys.append(candidate)
    previous = {key: parse_period(key).previous().key for key in keys}
    needed = set(keys) | set(previous.values())
    found = await totals_by_period(session, SCOPE_UNIT, unit_id, needed)
    users = await service_users_by_period(session, unit_id, needed)
    stored = await flags_by_period(session, unit_id, keys)
    for key in keys:
        current = observe(found.get(key), users.get(key))
        before = (
            observe(found.get(previous[key]), users.get(previous[key]))
            if current is not None
            else None
        )
        await _apply(projection, session, unit_id, key, current, before, stored.get(key), at)


async def _apply(
    projection: Projection,
    session: AsyncSession,
    unit_id: str,
    period_key: str,
    current: IkmObservation | None,
    previous: IkmObservation | None,
    stored: Row[Any] | None,
    at: datetime,
) -> None:
    """Raise, update or clear the flag of one unit and period, publishing what changed."""
    settings = projection.settings
    reasons = improvement_reasons(
        current,
        previous,
        settings.improvement_drop_threshold,
        flagged_bands={MutuPelayanan(b) for b in settings.improvement_bands},
    )
    was_active = bool(stored is not None and stored.active)
    evidence = [_reason_json(r) for r in reasons]
    now = at
    if reasons:
        assert current is not None
        if was_active and stored is not None and _signature(stored.reasons) == _signature(evidence):
            return  # same reasons and band: the stored evidence stands
        await _save(session, unit_id, period_key, True, evidence, current, now)
        await projection.emit(
            session,
            UnitImprovementRequired(
                unit_id=unit_id,
                period_key=period_key,
                reasons=[
                    ImprovementReason(
                        code=r.code.value,
                        explanation=r.explanation,
                        ikm=r.current_ikm,
                        band=r.current_band.value,
                        previous_ikm=r.previous_ikm,
                        drop=r.drop,
                    )
                    for r in reasons
                ],
                ikm=current.ikm,
                band=current.band.value,
                respondents=current.respondents,
                flagged_at=now,
            ),
        )
    elif was_active:
        await _save(session, unit_id, period_key, False, [], current, now)
        await projection.emit(
            session,
            UnitImprovementCleared(unit_id=unit_id, period_key=period_key, cleared_at=now),
        )


async def _save(
    session: AsyncSession,
    unit_id: str,
    period_key: str,
    active: bool,
    evidence: list[dict[str, Any]],
    current: IkmObservation | None,
    now: datetime,
) -> None:
    await save_flag(
        session,
        {
            "unit_id": unit_id,
            "period_key": period_key,
            "active": active,
            "reasons": evidence,
            "ikm": None if current is None else str(current.ikm),
            "band": None if current is None else current.band.value,
            "respondents": 0 if current is None else current.respondents,
            "changed_at": now,
        },
    )
