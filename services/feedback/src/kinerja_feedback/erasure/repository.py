"""SQL of erasure: the submissions a request names, the personal text kept beside a
submission, its outbox rows, and the audit of erasures."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Table, delete, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import ComplaintEntry, ErasureRequest, Feedback, ModerationAction
from kinerja_shared.events.topics import FEEDBACK_COMMENTS

_ENTRY_TABLE = ComplaintEntry.__table__  # type: ignore[attr-defined]
_ACTION_TABLE = ModerationAction.__table__  # type: ignore[attr-defined]
_ENTRY = _ENTRY_TABLE.c
_ACTION = _ACTION_TABLE.c


async def matching(
    session: AsyncSession,
    *,
    feedback_ids: list[str],
    tracking_digest: str | None,
    phone_hash: str | None,
    email_hash: str | None,
) -> list[Feedback]:
    """Submissions with one of these ids, this tracking code digest, phone or e-mail hash,
    in id order, locked for update (none when nothing is given)."""
    conditions: list[ColumnElement[bool]] = []
    if feedback_ids:
        conditions.append(col(Feedback.id).in_(feedback_ids))
    if tracking_digest:
        conditions.append(col(Feedback.tracking_digest) == tracking_digest)
    if phone_hash:
        conditions.append(col(Feedback.phone_hash) == phone_hash)
    if email_hash:
        conditions.append(col(Feedback.email_hash) == email_hash)
    if not conditions:
        return []
    rows = await session.scalars(
        select(Feedback).where(or_(*conditions)).order_by(col(Feedback.id)).with_for_update()
    )
    return list(rows)


async def clear_personal_text(session: AsyncSession, feedback_id: str) -> None:
    """Empty the messages of a submission's complaint history and its moderation log's
    reasons."""
    await session.execute(
        update(_ENTRY_TABLE).where(_ENTRY.feedback_id == feedback_id).values(message=None)
    )
    await session.execute(
        update(_ACTION_TABLE).where(_ACTION.feedback_id == feedback_id).values(reason=None)
    )


async def delete_outbox_rows(session: AsyncSession, outbox: Table, feedback_id: str) -> None:
    """Delete a submission's outbox rows on the comments topic (sent or not) and its sent
    rows on any topic."""
    rows = outbox.c
    await session.execute(
        delete(outbox).where(
            rows.key == feedback_id,
            (rows.topic == FEEDBACK_COMMENTS) | rows.sent_at.is_not(None),
        )
    )


async def recent(session: AsyncSession, *, limit: int) -> list[ErasureRequest]:
    """The latest erasure requests, newest first."""
    rows = await session.scalars(
        select(ErasureRequest).order_by(col(ErasureRequest.at).desc()).limit(limit)
    )
    return list(rows)
