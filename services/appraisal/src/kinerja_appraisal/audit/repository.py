"""SQL of the audit trail."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_appraisal.models import AuditEntry


async def entries_about(session: AsyncSession, *, entity_id: str) -> Sequence[AuditEntry]:
    """Entries whose entity, or whose assessment, is `entity_id`, oldest first."""
    rows = await session.scalars(
        select(AuditEntry)
        .where(
            or_(col(AuditEntry.entity_id) == entity_id, col(AuditEntry.assessment_id) == entity_id)
        )
        .order_by(col(AuditEntry.at), col(AuditEntry.id))
    )
    return rows.all()
