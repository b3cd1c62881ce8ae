"""Use cases of moderation: the review queue, decisions on comments and on held scores, and
reads of originals, all logged.

A moderator judges a comment (publish it, with more of it masked if need be, or reject it)
and, separately, scores that were held (count them or discard them). They cannot write new
text, and a decision on the comment never changes whether the scores count. Nobody with a
conflict of interest (conflicts.py) sees a submission in their queue or decides on it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator
from sqlalchemy import or_
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col, select

from kinerja_feedback.access import require_unit_staff
from kinerja_feedback.conflicts import conflicted_subjects, refuse_if_conflicted
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.domain.moderator_masks import MaskSpan, apply_masks
from kinerja_feedback.models import Feedback, ModerationAction
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import (
    FeedbackCommentPublished,
    FeedbackModerated,
    ScoresReviewed,
)
from kinerja_shared.outbox import Outbox
from kinerja_shared.pagination import PageParams, paginate
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound
from kinerja_shared.schemas import RequestModel

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class Decision(RequestModel):
    """Publish a pending comment (masking more of it if need be) or reject it with a reason."""

    decision: Literal["approve", "reject"]
    reason: Reason | None = None
    mask: list[MaskSpan] = Field(
        default_factory=list,
        max_length=100,
        description="Character ranges of the comment (as shown in the queue) to hide when "
        "publishing; a moderator can hide text, never write it",
    )

    @model_validator(mode="after")
    def _reason_for_rejection(self) -> Decision:
        if self.decision == "reject" and not self.reason:
            raise ValueError("a rejection needs a reason")
        if self.decision == "reject" and self.mask:
            raise ValueError("a rejected comment is not published, so there is nothing to mask")
        return self


ScoreVerdict = Literal["count", "discard"]


class ScoresDecision(RequestModel):
    """Count or discard held scores: for the unit's IKM (`unit`, when they were held as
    suspicious) and for the named employee's summary (`staff`, when held by the
    anti-stuffing rules)."""

    unit: ScoreVerdict | None = None
    staff: ScoreVerdict | None = None
    reason: Reason

    @model_validator(mode="after")
    def _something_decided(self) -> ScoresDecision:
        if self.unit is None and self.staff is None:
            raise ValueError("decide on the unit's scores, the staff attribution, or both")
        return self


class QueueItem(BaseModel):
    """A submission waiting for a moderator: its comment, or its held scores, or both."""

    feedback_id: str
    unit_id: str
    service_point_id: str
    employee_id: str | None
    submitted_at: datetime
    comment_redacted: str | None
    abuse_flags: list[str]
    suspicion_reasons: list[str]
    answers: dict[str, int]
    overall_rating: int | None
    is_complaint: bool
    moderation_status: str = Field(description="The comment: pending, approved, rejected, ...")
    counted: bool = Field(description="The scores count in the unit's IKM")
    scores_held: bool = Field(description="The scores wait for a decision (suspicious)")
    staff_status: str | None = Field(
        description="Attribution to the named employee: counted, held or discarded"
    )
    staff_hold_reasons: list[str]


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
        employee_id=feedback.employee_id,
        submitted_at=feedback.submitted_at,
        comment_redacted=feedback.comment_redacted,
        abuse_flags=list(feedback.abuse_flags),
        suspicion_reasons=list(feedback.suspicion_reasons),
        answers=dict(feedback.answers),
        overall_rating=feedback.overall_rating,
        is_complaint=feedback.is_complaint,
        moderation_status=feedback.moderation_status,
        counted=feedback.counted,
        scores_held=feedback.scores_held,
        staff_status=feedback.staff_status,
        staff_hold_reasons=list(feedback.staff_hold_reasons),
    )


async def queue(
    session: AsyncSession,
    *,
    identity: Identity,
    unit_id: str | None,
    page: PageParams,
    newest_first: bool,
) -> tuple[Sequence[Feedback], int]:
    """One page of what waits for a decision (newest or oldest first) and its total, without
    what the caller may not handle."""
    stmt = select(Feedback).where(
        or_(
            col(Feedback.moderation_status) == "pending",
            col(Feedback.scores_held).is_(True),
            col(Feedback.staff_status) == "held",
        ),
        col(Feedback.withdrawn_at).is_(None),
    )
    if unit_id is not None:
        stmt = stmt.where(col(Feedback.unit_id) == unit_id)
    excluded = await conflicted_subjects(session, identity)
    if excluded is None:
        stmt = stmt.where(col(Feedback.employee_id).is_(None))
    elif excluded:
        stmt = stmt.where(
            or_(
                col(Feedback.employee_id).is_(None),
                col(Feedback.employee_id).not_in(sorted(excluded)),
            )
        )
    submitted, key = col(Feedback.submitted_at), col(Feedback.id)
    order = (submitted.desc(), key.desc()) if newest_first else (submitted, key)
    return await paginate(session, stmt.order_by(*order), page)


async def _load(session: AsyncSession, feedback_id: str, identity: Identity) -> Feedback:
    found = (
        await session.scalars(
            select(Feedback).where(col(Feedback.id) == feedback_id).with_for_update()
        )
    ).first()
    if found is None or found.withdrawn_at is not None:
        raise ResourceNotFound("no such submission")
    require_unit_staff(identity, found.unit_id)
    await refuse_if_conflicted(session, identity, found)
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
    comment = secrets.decrypt(
        feedback.comment_encrypted, what="original comment", feedback_id=feedback.id
    )
    return Original(feedback_id=feedback.id, comment=comment)


async def decide(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    feedback_id: str,
    decision: Decision,
    now: datetime,
) -> Feedback:
    """Publish or reject a pending comment; log it and publish feedback.moderated (and, when
    published, the comment on the compacted comments topic). The scores are untouched."""
    feedback = await _load(session, feedback_id, identity)
    if feedback.moderation_status != "pending":
        raise Conflict(
            "this submission has no comment waiting for moderation "
            f"(it is {feedback.moderation_status})"
        )
    approved = decision.decision == "approve"
    if approved and decision.mask:
        assert feedback.comment_redacted is not None
        try:
            feedback.comment_redacted = apply_masks(feedback.comment_redacted, decision.mask)
        except ValueError as exc:
            raise InvalidInput(str(exc), field="body.mask") from exc
    feedback.moderation_status = "approved" if approved else "rejected"
    feedback.updated_at = now
    session.add(
        ModerationAction(
            feedback_id=feedback.id,
            action=("approved" if approved else "rejected")
            + (f" ({len(decision.mask)} masked)" if decision.mask else ""),
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
            counted=feedback.counted,
            moderated_at=now,
        ),
    )
    if approved and feedback.comment_redacted:
        await outbox.add(
            session,
            FeedbackCommentPublished(
                feedback_id=feedback.id,
                service_point_id=feedback.service_point_id,
                unit_id=feedback.unit_id,
                employee_id=feedback.employee_id,
                comment_redacted=feedback.comment_redacted,
                published_at=now,
            ),
        )
    return feedback


async def decide_scores(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    feedback_id: str,
    decision: ScoresDecision,
    now: datetime,
) -> Feedback:
    """Count or discard held scores; log it and publish feedback.scores_reviewed."""
    feedback = await _load(session, feedback_id, identity)
    if decision.unit is not None and not feedback.scores_held:
        raise Conflict("the unit's scores of this submission are not held", field="body.unit")
    if decision.staff is not None and feedback.staff_status != "held":
        raise Conflict("its attribution to the employee is not held", field="body.staff")
    actions = []
    if decision.unit is not None:
        feedback.counted = decision.unit == "count"
        feedback.scores_held = False
        actions.append(f"scores_{'counted' if feedback.counted else 'discarded'}")
    if decision.staff is not None:
        feedback.staff_status = "counted" if decision.staff == "count" else "discarded"
        actions.append(f"staff_{feedback.staff_status}")
    feedback.updated_at = now
    session.add(
        ModerationAction(
            feedback_id=feedback.id,
            action=", ".join(actions),
            reason=decision.reason,
            actor=identity.subject,
            at=now,
        )
    )
    await session.flush()
    await outbox.add(
        session,
        ScoresReviewed(
            feedback_id=feedback.id,
            service_point_id=feedback.service_point_id,
            unit_id=feedback.unit_id,
            counted=feedback.counted,
            staff_counted=(
                None if feedback.staff_status is None else feedback.staff_status == "counted"
            ),
            reviewed_at=now,
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
