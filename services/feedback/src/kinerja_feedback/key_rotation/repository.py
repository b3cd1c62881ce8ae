"""SQL of key rotation: the encrypted values of submissions, a batch at a time, and the
replacement of one value if it is still the one read."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Row, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.models import Feedback

#: The encrypted columns of a submission.
ENCRYPTED = ("contact_encrypted", "comment_encrypted", "tracking_code_encrypted")
_COLUMNS = [col(getattr(Feedback, name)) for name in ENCRYPTED]


async def encrypted_values(
    session: AsyncSession, *, after: str, limit: int
) -> Sequence[Row[Any, Any, Any, Any]]:
    """Up to `limit` submissions with an id after `after` that hold an encrypted value, in id
    order: each row the id, then the ENCRYPTED columns' values."""
    result = await session.execute(
        select(col(Feedback.id), *_COLUMNS)
        .where(col(Feedback.id) > after, or_(*(c.is_not(None) for c in _COLUMNS)))
        .order_by(col(Feedback.id))
        .limit(limit)
    )
    return result.all()


async def replace_value(
    session: AsyncSession, feedback_id: str, name: str, *, old: str, new: str
) -> None:
    """Set an encrypted column of a submission to `new` if it still holds `old`."""
    column = col(getattr(Feedback, name))
    await session.execute(
        update(Feedback).where(col(Feedback.id) == feedback_id, column == old).values({name: new})
    )
