"""What replaying history means for the read models: they start empty, nothing is published,
and improvement flags are evaluated once at the end for every unit and period the replay
touched (they depend only on the final totals and service users). The replay itself, the
Kafka consumer and its progress, is ``rebuild/service.py``.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_reporting.projections import repository
from kinerja_reporting.projections.context import ChangedPeriods, Projection
from kinerja_reporting.projections.flags import evaluate_due_flags
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.outbox import Outbox
from kinerja_shared.runtime import ServiceRuntime


async def clear_read_models(runtime: ServiceRuntime, consumer_group: str) -> None:
    """Delete every read model row and the consumer's inbox records."""
    async with runtime.sessions() as session, session.begin():
        await repository.clear_read_models(session, runtime.tables.inbox, consumer_group)


def replaying(settings: ReportingSettings, outbox: Outbox) -> Projection:
    """The handlers' context while replaying: nothing published, flags collected for the end."""
    return Projection(settings=settings, outbox=outbox, publish=False, flags_due=ChangedPeriods())


async def finish_replay(sessions: async_sessionmaker[AsyncSession], projection: Projection) -> int:
    """Evaluate the flags the replay collected; returns the units evaluated."""
    return await evaluate_due_flags(sessions, projection)
