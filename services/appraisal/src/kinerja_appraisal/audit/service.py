"""Writing audit entries in the caller's transaction, and reading an appraisal's history."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.models import AuditEntry
from kinerja_shared.auth import Identity


async def record(
    session: AsyncSession,
    *,
    actor: Identity | str,
    action: str,
    entity_type: str,
    entity_id: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
    assessment_id: str | None = None,
) -> AuditEntry:
    """Add one audit entry to the current transaction."""
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
    return entry


async def history(session: AsyncSession, *, entity_id: str) -> Sequence[AuditEntry]:
    """Every entry about an entity (or, for an assessment, about it and its objection)."""
    rows = await session.scalars(
        select(AuditEntry)
        .where(
            or_(col(AuditEntry.entity_id) == entity_id, col(AuditEntry.assessment_id) == entity_id)
        )
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    return rows.all()
