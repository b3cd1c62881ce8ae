"""Use cases of a citizen with a tracking code: follow, reopen, withdraw."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.complaints import service as complaints
from kinerja_feedback.complaints.schemas import HistoryEntry
from kinerja_feedback.domain.complaint import ComplaintStatus
from kinerja_feedback.domain.tracking import InvalidTrackingCode, normalise_tracking_code
from kinerja_feedback.models import Feedback
from kinerja_shared.events.types.feedback import FeedbackWithdrawn
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


class ComplaintStatusView(BaseModel):
    """A complaint's status as the citizen sees it."""

    status: str
    category: str
    first_response_due: date
    resolution_due: date
    overdue: list[str]
    history: list[HistoryEntry]


class TrackingView(BaseModel):
    """What a citizen sees with a tracking code (no account)."""

    tracking_code: str
    submitted_at: datetime
    service_point_id: str
    comment_status: str
    withdrawn: bool
    withdrawn_at: datetime | None
    complaint: ComplaintStatusView | None


async def find(session: AsyncSession, raw_code: str, *, lock: bool = False) -> Feedback:
    """The submission of a typed tracking code; 422 for a malformed one, 404 for an unknown one."""
    try:
        code = normalise_tracking_code(raw_code)
    except InvalidTrackingCode as exc:
        raise InvalidInput(str(exc), field="path.tracking_code") from exc
    stmt = select(Feedback).where(col(Feedback.tracking_code) == code)
    if lock:
        stmt = stmt.with_for_update()
    found = (await session.scalars(stmt)).first()
    if found is None:
        raise ResourceNotFound("no submission has this tracking code")
    return found


def _comment_status(feedback: Feedback) -> str:
    if feedback.comment_redacted is None:
        return "none"
    return {"pending": "pending_moderation", "approved": "published", "rejected": "rejected"}.get(
        feedback.moderation_status, "pending_moderation"
    )


async def view(session: AsyncSession, feedback: Feedback, now: datetime) -> TrackingView:
    """The public status of a submission and, if a complaint, its history."""
    status = None
    if feedback.is_complaint and feedback.withdrawn_at is None:
        assert feedback.first_response_due is not None
        assert feedback.resolution_due is not None
        status = ComplaintStatusView(
            status=feedback.complaint_status or "",
            category=feedback.complaint_category or "",
            first_response_due=feedback.first_response_due,
            resolution_due=feedback.resolution_due,
            overdue=complaints.overdue_of(feedback, now),
            history=await complaints.history(session, feedback.id),
        )
    return TrackingView(
        tracking_code=feedback.tracking_code,
        submitted_at=feedback.submitted_at,
        service_point_id=feedback.service_point_id,
        comment_status=_comment_status(feedback),
        withdrawn=feedback.withdrawn_at is not None,
        withdrawn_at=feedback.withdrawn_at,
        complaint=status,
    )


async def withdraw(
    session: AsyncSession, outbox: Outbox, *, raw_code: str, now: datetime
) -> Feedback:
    """Withdraw a submission: it stops counting and its personal data is erased. Idempotent."""
    feedback = await find(session, raw_code, lock=True)
    if feedback.withdrawn_at is not None:
        return feedback
    feedback.withdrawn_at = now
    feedback.updated_at = now
    feedback.counted = False
    feedback.contact_encrypted = None
    feedback.comment_encrypted = None
    feedback.comment_redacted = None
    feedback.age_band = feedback.sex = feedback.education = feedback.occupation = None
    await session.flush()
    await outbox.add(
        session,
        FeedbackWithdrawn(
            feedback_id=feedback.id,
            service_point_id=feedback.service_point_id,
            unit_id=feedback.unit_id,
            withdrawn_at=now,
        ),
    )
    return feedback


async def reopen(
    session: AsyncSession, outbox: Outbox, *, raw_code: str, reason: str, now: datetime
) -> Feedback:
    """The citizen disagrees with a resolved or rejected complaint and reopens it."""
    feedback = await find(session, raw_code, lock=True)
    if not feedback.is_complaint or feedback.withdrawn_at is not None:
        raise Conflict("only a complaint that was not withdrawn can be reopened")
    await complaints.change_status(
        session,
        outbox,
        feedback=feedback,
        target=ComplaintStatus.REOPENED,
        actor="citizen",
        message=reason,
        now=now,
    )
    return feedback
