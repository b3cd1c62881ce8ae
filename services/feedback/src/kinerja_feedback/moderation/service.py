"""Use cases of moderation: the review queue, decisions and reads of originals, all logged."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, StringConstraints, model_validator
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.access import require_unit_staff
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.domain.redaction import redact
from kinerja_feedback.models import Feedback, ModerationAction
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import FeedbackModerated
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, ResourceNotFound


class Decision(BaseModel):
    """Approve (publish the redacted comment, count the scores) or reject with a reason."""

    model_config = ConfigDict(extra="forbid")

    decision: Literal["approve", "reject"]
    reason: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]
        | None
    ) = None
    comment_redacted: (
        Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None
    ) = None

    @model_validator(mode="after")
    def _reason_for_rejection(self) -> Decision:
        if self.decision == "reject" and not self.reason:
            raise ValueError("a rejection needs a reason")
        return self


class QueueItem(BaseModel):
    """A submission waiting for a moderator."""

    feedback_id: str
    unit_id: str
    service_point_id: str
    submitted_at: datetime
    comment_redacted: str | None
    abuse_flags: list[str]
    suspicion_reasons: list[str]
    answers: dict[str, int]
    is_complaint: bool
    moderation_status: str
    counted: bool


class Original(BaseModel):
    """The comment as the citizen wrote it (moderators only; the read is logged)."""

    feedback_id: str
    comment: str | None


def item(feedback: Feedback) -> QueueItem:
    """The moderator's view of a submission."""
    return QueueItem(
        feedback_id=feedback.id,
        unit_id=feedback.unit_id,
        service_point_id=feedback.service_point_id,
        submitted_at=feedback.submitted_at,
        comment_redacted=feedback.comment_redacted,
        abuse_flags=list(feedback.abuse_flags),
        suspicion_reasons=list(feedback.suspicion_reasons),
        answers=dict(feedback.answers),
        is_complaint=feedback.is_complaint,
        moderation_status=feedback.moderation_status,
        counted=feedback.counted,
    )


async def queue(session: AsyncSession, *, unit_id: str | None, limit: int) -> list[Feedback]:
    """Pending submissions, oldest first."""
    stmt = select(Feedback).where(
        col(Feedback.moderation_status) == "pending",
        col(Feedback.withdrawn_at).is_(None),
    )
    if unit_id is not None:
        stmt = stmt.where(col(Feedback.unit_id) == unit_id)
    rows = await session.scalars(stmt.order_by(col(Feedback.submitted_at)).limit(limit))
    return list(rows)


async def _load(session: AsyncSession, feedback_id: str, identity: Identity) -> Feedback:
    found = (
        await session.scalars(
            select(Feedback).where(col(Feedback.id) == feedback_id).with_for_update()
        )
    ).first()
    if found is None or found.withdrawn_at is not None:
        raise ResourceNotFound("no such submission")
    require_unit_staff(identity, found.unit_id)
    return found


async def read_original(
    session: AsyncSession, secrets: Secrets, *, identity: Identity, feedback_id: str, now: datetime
) -> Original:
    """Decrypt the original comment for a moderator and log the read."""
    feedback = await _load(session, feedback_id, identity)
    session.add(
        ModerationAction(
            feedback_id=feedback.id, action="original_read", actor=identity.subject, at=now
        )
    )
    return Original(feedback_id=feedback.id, comment=secrets.decrypt(feedback.comment_encrypted))


async def decide(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    feedback_id: str,
    decision: Decision,
    now: datetime,
) -> Feedback:
    """Approve or reject a pending submission; log it and publish feedback.moderated."""
    feedback = await _load(session, feedback_id, identity)
    if feedback.moderation_status != "pending":
        raise Conflict(f"this submission is already {feedback.moderation_status}")
    approved = decision.decision == "approve"
    if approved and decision.comment_redacted is not None and feedback.comment_redacted is not None:
        # A moderator may mask more; what they write is masked again all the same.
        feedback.comment_redacted = redact(decision.comment_redacted).text
    feedback.moderation_status = "approved" if approved else "rejected"
    feedback.counted = approved
    feedback.updated_at = now
    session.add(
        ModerationAction(
            feedback_id=feedback.id,
            action="approved" if approved else "rejected",
            reason=decision.reason,
            actor=identity.subject,
            at=now,
        )
    )
    await session.flush()
    await outbox.add(
        session,
        FeedbackModerated(
            feedback_id=feedback.id,
            service_point_id=feedback.service_point_id,
            unit_id=feedback.unit_id,
            decision="approved" if approved else "rejected",
            comment_redacted=feedback.comment_redacted if approved else None,
            counted=approved,
            moderated_at=now,
        ),
    )
    return feedback


async def log(session: AsyncSession, feedback_id: str) -> list[ModerationAction]:
    """Every logged action on a submission, oldest first."""
    rows = await session.scalars(
        select(ModerationAction)
        .where(col(ModerationAction.feedback_id) == feedback_id)
        .order_by(col(ModerationAction.id))
    )
    return list(rows)
