"""Improvement flags: evaluate the rule (docs/domain.md, Improvement flags) when a unit's IKM
or service users change.

A flag is published when it is raised, when its reasons or band change, and when it clears;
the stored evidence follows the unit's current totals (refreshed without an event while the
reasons and band stay), so it does not depend on how events were batched.

A flag is evaluated on the unit's own feedback (its service points), per month, quarter and
year. A change in period P can raise or clear the flag of P and, through the drop rule,
of the period after P; both are evaluated.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_reporting.domain.flags import IkmObservation, Reason, improvement_reasons
from kinerja_reporting.domain.ikm import ElementTotals, MutuPelayanan, ikm_hundredths
from kinerja_reporting.domain.periods import parse_period
from kinerja_reporting.domain.sample import sample_adequacy
from kinerja_reporting.projections.context import Projection
from kinerja_reporting.projections.repository import StoredFlag, flag_inputs, save_flags
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.types.reporting import (
    ImprovementReason,
    UnitImprovementCleared,
    UnitImprovementRequired,
)


def observe(found: ElementTotals | None, population: int | None) -> IkmObservation | None:
    """A unit's own IKM for a period with its sample numbers (None without an index)."""
    if found is None:
        return None
    hundredths = ikm_hundredths(found)
    if hundredths is None:
        return None
    adequacy = sample_adequacy(found.respondents, population)
    return IkmObservation(
        ikm=Decimal(hundredths).scaleb(-2),
        respondents=found.respondents,
        required_sample=adequacy.required,
        sample_adequate=adequacy.adequate,
    )


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


async def evaluate_flags(
    session: AsyncSession,
    *,
    projection: Projection,
    changed: Mapping[str, tuple[Iterable[str], datetime]],
) -> None:
    """Re-evaluate the flags of several units (unit id -> changed periods, time of change).

    Reads everything needed (totals, service users, stored flags of every unit and period
    concerned) in one query, then writes the flags that change in one statement. While
    rebuilding (``projection.flags_due`` set) the units are only recorded, to be evaluated
    once at the end by ``evaluate_due_flags``.
    """
    if not changed:
        return
    if projection.flags_due is not None:
        projection.flags_due.add(changed)
        return
    wanted: dict[str, list[str]] = {}
    for unit_id, (period_keys, _) in changed.items():
        keys: list[str] = []
        for key in sorted(period_keys):
            for candidate in (key, parse_period(key).next().key):
                if candidate not in keys:
                    keys.append(candidate)
        wanted[unit_id] = keys
    previous = {key: parse_period(key).previous().key for keys in wanted.values() for key in keys}
    needed = set(previous) | set(previous.values())
    units = sorted(wanted)
    inputs = await flag_inputs(session, units, needed, set(previous))
    found, users, stored = inputs.totals, inputs.service_users, inputs.stored
    saves: list[dict[str, Any]] = []
    events: list[EventPayload] = []
    for unit_id in units:
        at = changed[unit_id][1]
        for key in wanted[unit_id]:
            before_key = previous[key]
            current = observe(found.get((unit_id, key)), users.get((unit_id, key)))
            before = (
                observe(found.get((unit_id, before_key)), users.get((unit_id, before_key)))
                if current is not None
                else None
            )
            save, event = _decide(
                projection.settings, unit_id, key, current, before, stored.get((unit_id, key)), at
            )
            if save is not None:
                saves.append(save)
            if event is not None:
                events.append(event)
    await save_flags(session, saves)
    await projection.emit_many(session, events)


#: Units whose due flags are evaluated per transaction at the end of a rebuild.
DUE_FLAGS_PER_TRANSACTION = 50


async def evaluate_due_flags(
    sessions: async_sessionmaker[AsyncSession], projection: Projection
) -> int:
    """Evaluate the flags a rebuild collected (``projection.flags_due``); returns the units.

    Several units per transaction; the backlog is emptied as it goes, so a unit is
    evaluated once however many events touched it.
    """
    due = projection.flags_due
    if due is None:
        return 0
    evaluating = replace(projection, flags_due=None)
    units = 0
    while due:
        chunk = due.take(DUE_FLAGS_PER_TRANSACTION)
        async with sessions() as session, session.begin():
            await evaluate_flags(session, projection=evaluating, changed=chunk)
        units += len(chunk)
    return units


def _decide(
    settings: ReportingSettings,
    unit_id: str,
    period_key: str,
    current: IkmObservation | None,
    previous: IkmObservation | None,
    stored: StoredFlag | None,
    at: datetime,
) -> tuple[dict[str, Any] | None, EventPayload | None]:
    """Raise, update or clear the flag of one unit and period: the row to store, the event."""
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
            # Same reasons and band: nothing to announce, but the evidence follows the
            # totals, so the stored flag is the same however the events were batched.
            if stored.reasons != evidence or stored.respondents != current.respondents:
                return _row(unit_id, period_key, True, evidence, current, now), None
            return None, None
        return _row(unit_id, period_key, True, evidence, current, now), UnitImprovementRequired(
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
        )
    if was_active:
        return _row(unit_id, period_key, False, [], current, now), UnitImprovementCleared(
            unit_id=unit_id, period_key=period_key, cleared_at=now
        )
    return None, None


def _row(
    unit_id: str,
    period_key: str,
    active: bool,
    evidence: list[dict[str, Any]],
    current: IkmObservation | None,
    now: datetime,
) -> dict[str, Any]:
    return {
        "unit_id": unit_id,
        "period_key": period_key,
        "active": active,
        "reasons": evidence,
        "ikm": None if current is None else str(current.ikm),
        "band": None if current is None else current.band.value,
        "respondents": 0 if current is None else current.respondents,
        "changed_at": now,
    }
