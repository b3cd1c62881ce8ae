"""Use cases of moderation: the review queue, decisions on comments and on held scores, and
reads of originals, all logged.

A moderator judges a comment (publish it, with more of it masked if need be, or reject it)
and, separately, scores that were held (count them or discard them). They cannot write new
text, and a decision on the comment never changes whether the scores count. Nobody with a
conflict of interest (access.py) sees a submission in their queue or decides on it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback import access
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.directory import service as directory
from kinerja_feedback.domain.moderator_masks import apply_masks
from kinerja_feedback.models import Feedback, ModerationAction
from kinerja_feedback.moderation import repository
from kinerja_feedback.moderation.schemas import (
    Decision,
    LoggedAction,
    Original,
    QueueItem,
    ScoresDecision,
)
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import (
    FeedbackCommentPublished,
    FeedbackModerated,
    ScoresReviewed,
)
from kinerja_shared.outbox import Outbox
from kinerja_shared.pagination import Page, PageParams
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


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
) -> Page[QueueItem]:
    """One page of what waits for a decision (newest or oldest first) and its total: unit
    staff see their unit's, bkpsdm_admin any unit's, nobody what they may not handle."""
    access.require_staff(identity)
    visible = access.visible_unit(identity, unit_id)
    excluded = await access.conflicted_subjects(directory.Hierarchy(session), identity)
    rows, total = await repository.waiting(
        session, unit_id=visible, excluded=excluded, page=page, newest_first=newest_first
    )
    return Page[QueueItem](
        items=[item(f) for f in rows], total=total, limit=page.limit, offset=page.offset
    )


async def _load(session: AsyncSession, feedback_id: str, identity: Identity) -> Feedback:
    found = await repository.submission(session, feedback_id, lock=True)
    if found is None or found.withdrawn_at is not None:
        raise ResourceNotFound("no such submission")
    access.require_unit_staff(identity, found.unit_id)
    await access.refuse_if_conflicted(directory.Hierarchy(session), identity, found)
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


async def log(session: AsyncSession, *, identity: Identity, feedback_id: str) -> list[LoggedAction]:
    """Every logged action on a submission, oldest first, for staff of its unit (withdrawn
    ones too) who may handle it."""
    feedback = await repository.submission(session, feedback_id)
    if feedback is None:
        raise ResourceNotFound("no such submission")
    access.require_unit_staff(identity, feedback.unit_id)
    await access.refuse_if_conflicted(directory.Hierarchy(session), identity, feedback)
    return [
        LoggedAction(action=a.action, reason=a.reason, actor=a.actor, at=a.at)
        for a in await repository.actions(session, feedback_id)
    ]
