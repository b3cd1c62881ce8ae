"""What the projection functions share: the settings, where their own events go, and the
units and periods whose flags a rebuild evaluates at the end."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.outbox import Outbox


@dataclass
class ChangedPeriods:
    """Keys (a unit, an employee) whose periods changed, with the time of the latest change."""

    changed: dict[str, tuple[set[str], datetime]] = field(default_factory=dict)

    def touch(self, key: str, periods: Iterable[str], at: datetime) -> None:
        """Record that ``key`` changed in ``periods`` at ``at`` (the latest change wins)."""
        found = self.changed.get(key)
        if found is None:
            self.changed[key] = (set(periods), at)
        else:
            found[0].update(periods)
            self.changed[key] = (found[0], at)

    def add(self, changed: Mapping[str, tuple[Iterable[str], datetime]]) -> None:
        """Record several changes (key -> periods, time), in order."""
        for key, (periods, at) in changed.items():
            self.touch(key, periods, at)

    def take(self, count: int) -> dict[str, tuple[set[str], datetime]]:
        """Remove and return up to ``count`` keys with their periods, in key order."""
        keys = sorted(self.changed)[:count]
        return {key: self.changed.pop(key) for key in keys}

    def __bool__(self) -> bool:
        return bool(self.changed)


@dataclass(frozen=True)
class Projection:
    """Context of the read-model handlers.

    ``publish`` is false during a rebuild: replaying history must not announce again every
    summary and flag the appraisal service already received. ``flags_due``, when set (a
    rebuild), collects the units and periods whose improvement flags need evaluating
    instead of evaluating them in every transaction: flags depend only on the final totals
    and service users, so the rebuild evaluates each once at the end
    (``projections/flags.py evaluate_due_flags``). ``clock``: the moment a transaction
    applies its events (``feedback_entry.applied_at``); tests fix it.
    """

    settings: ReportingSettings
    outbox: Outbox
    publish: bool = True
    flags_due: ChangedPeriods | None = None
    clock: Callable[[], datetime] = utcnow

    async def emit_many(self, session: AsyncSession, payloads: list[EventPayload]) -> None:
        """Queue several events in one statement (unless replaying)."""
        if self.publish and payloads:
            await self.outbox.add_many(session, payloads)
