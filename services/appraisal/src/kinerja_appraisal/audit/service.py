"""Recording a change: its audit entry and, when it is announced, its event, together in
the caller's transaction; and reading an entity's history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.audit import repository
from kinerja_appraisal.models import AuditEntry
from kinerja_shared.auth import Identity
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.outbox import Outbox


async def record_change(
    session: AsyncSession,
    *,
    actor: Identity | str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    assessment_id: str | None = None,
    outbox: Outbox | None = None,
    event: EventPayload | None = None,
) -> AuditEntry:
    """Add the audit entry of a change and, if given, its event to the current transaction
    (both are written or neither)."""
    if event is not None and outbox is None:
        raise TypeError("an event needs the outbox it is written to")
    entry = AuditEntry(
        actor=actor if isinstance(actor, str) else actor.subject,
        action=action,
        entity_type=entity_type,
        entity_id=entity_id,
        assessment_id=assessment_id,
        before=before,
        after=after,
    )
    session.add(entry)
    if event is not None and outbox is not None:
        await outbox.add(session, event)
    return entry


async def history(session: AsyncSession, *, entity_id: str) -> Sequence[AuditEntry]:
    """Every entry about an entity (or, for an assessment, about it and its objection)."""
    return await repository.entries_about(session, entity_id=entity_id)
