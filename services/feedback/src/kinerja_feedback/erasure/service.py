"""Erasure of a submission's personal data, everywhere the service keeps it.

Used by a citizen's withdrawal (tracking code) and by BKPSDM on an erasure request. The
submission stops counting; what remains is what the audit needs and nothing personal: its
public id, service point, unit, scores' place in history (withdrawn), the digest of the
tracking code (so the citizen can still see it was withdrawn) and the idempotency key (so a
retry is told it is gone).
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from sqlalchemy import delete, update
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.models import ComplaintEntry, Feedback, ModerationAction
from kinerja_shared.events.topics import FEEDBACK_COMMENTS
from kinerja_shared.events.types.feedback import FeedbackWithdrawn
from kinerja_shared.outbox import Outbox

#: The status a retry of an erased submission's Idempotency-Key is answered with.
GONE = 410

_ENTRY_TABLE = ComplaintEntry.__table__  # type: ignore[attr-defined]
_ACTION_TABLE = ModerationAction.__table__  # type: ignore[attr-defined]
_ENTRY = _ENTRY_TABLE.c
_ACTION = _ACTION_TABLE.c


def _clear_row(feedback: Feedback, now: datetime) -> None:
    feedback.withdrawn_at = now
    feedback.updated_at = now
    feedback.counted = False
    feedback.scores_held = False
    if feedback.staff_status == "held":
        feedback.staff_status = "discarded"
    # The citizen's words, contact, profile and location.
    feedback.contact_encrypted = None
    feedback.comment_encrypted = None
    feedback.comment_redacted = None
    feedback.age_band = feedback.sex = feedback.education = feedback.occupation = None
    feedback.latitude = feedback.longitude = None
    # Keyed hashes that still single the person out (device, address, contact).
    feedback.device_hash = feedback.address_hash = feedback.network_hash = None
    feedback.phone_hash = feedback.email_hash = feedback.duplicate_key = None
    # The stored receipt (it repeats the comment, profile and tracking code).
    feedback.tracking_code_encrypted = None
    feedback.request_fingerprint = None
    feedback.response_status = GONE
    feedback.response_body = {}


async def erase(
    session: AsyncSession,
    outbox: Outbox,
    *,
    feedback: Feedback,
    now: datetime,
    reason: Literal["withdrawn", "erased"],
) -> bool:
    """Erase one submission's personal data and stop counting it; False if it already was.

    Rows: the submission, its complaint history's messages, its moderation log's reasons.
    Stream: the published comment is tombstoned on the compacted comments topic, its outbox
    rows (sent or not) are deleted, and so are the submission's sent outbox rows (published
    already; the payloads of older versions carried the comment).
    """
    if feedback.withdrawn_at is not None and feedback.response_body == {}:
        return False
    published = feedback.moderation_status == "approved"
    _clear_row(feedback, now)
    await session.flush()
    await session.execute(
        update(_ENTRY_TABLE).where(_ENTRY.feedback_id == feedback.id).values(message=None)
    )
    await session.execute(
        update(_ACTION_TABLE).where(_ACTION.feedback_id == feedback.id).values(reason=None)
    )
    rows = outbox.tables.outbox.c
    await session.execute(
        delete(outbox.tables.outbox).where(
            rows.key == feedback.id,
            (rows.topic == FEEDBACK_COMMENTS) | rows.sent_at.is_not(None),
        )
    )
    if published:
        await outbox.tombstone(session, topic=FEEDBACK_COMMENTS, key=feedback.id)
    await outbox.add(
        session,
        FeedbackWithdrawn(
            feedback_id=feedback.id,
            service_point_id=feedback.service_point_id,
            unit_id=feedback.unit_id,
            withdrawn_at=now,
            reason=reason,
        ),
    )
    return True
