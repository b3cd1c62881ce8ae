"""Use cases of a citizen with a tracking code: follow, reopen, withdraw.

The code is a secret: it is looked up by its digest, one code per request, and an address
that keeps sending unknown codes is refused for a while (`FEEDBACK_TRACKING_FAILURE_*`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from pydantic import BaseModel, Field
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from kinerja_feedback.complaints import service as complaints
from kinerja_feedback.complaints.schemas import HistoryEntry
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.domain.abuse import RateLimit, fixed_window_decision
from kinerja_feedback.domain.addresses import subscriber_of
from kinerja_feedback.domain.complaint import ComplaintStatus
from kinerja_feedback.domain.tracking import (
    InvalidTrackingCode,
    normalise_tracking_code,
    tracking_digest,
)
from kinerja_feedback.erasure.service import erase
from kinerja_feedback.models import Feedback
from kinerja_feedback.settings import FeedbackSettings
from kinerja_feedback.tracking import repository
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound, TooManyRequests

FIELD = "body.tracking_code"


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

    feedback_id: str = Field(description="The submission's public id")
    submitted_at: datetime
    service_point_id: str
    comment_status: str
    withdrawn: bool
    withdrawn_at: datetime | None
    complaint: ComplaintStatusView | None


class Lookups:
    """Counts failed look-ups per client (subscriber) address, in their own transactions, so a
    refused request still counts; refuses an address over the limit."""

    def __init__(
        self, sessions: async_sessionmaker[AsyncSession], settings: FeedbackSettings, subject: str
    ) -> None:
        self.sessions = sessions
        self.subject = subject
        self.rate = RateLimit(
            settings.tracking_failure_limit,
            timedelta(seconds=settings.tracking_failure_window_seconds),
        )

    @classmethod
    def of_address(
        cls,
        sessions: async_sessionmaker[AsyncSession],
        settings: FeedbackSettings,
        secrets: Secrets,
        address: str | None,
    ) -> Lookups:
        """The look-ups of a client address as the gateway resolved it, counted per subscriber
        (IPv6: its /64)."""
        subject = secrets.hash(subscriber_of(address)) if address else None
        return cls(sessions, settings, subject or "unknown")

    async def refuse_if_over(self, now: datetime) -> None:
        """429 when this address used up its failed look-ups in the current window."""
        async with self.sessions() as session:
            start, count = await repository.failures(session, self.subject, now, self.rate)
        decision = fixed_window_decision(count, start, now, self.rate)
        if not decision.allowed:
            raise TooManyRequests(
                "too many unknown tracking codes from this address; "
                f"try again in {decision.retry_after} s",
                field=FIELD,
                headers={"Retry-After": str(decision.retry_after)},
            )

    async def record_failure(self, now: datetime) -> None:
        """Count one failed look-up (committed at once)."""
        async with self.sessions() as session, session.begin():
            await repository.add_failure(session, self.subject, now, self.rate)


async def find(
    session: AsyncSession, raw_code: str, lookups: Lookups, now: datetime, *, lock: bool = False
) -> Feedback:
    """The submission of a typed tracking code; 422 for a malformed one and 404 for an unknown
    one (both counted against the address), 429 for an address over its limit."""
    await lookups.refuse_if_over(now)
    try:
        code = normalise_tracking_code(raw_code)
    except InvalidTrackingCode as exc:
        await lookups.record_failure(now)
        raise InvalidInput(str(exc), field=FIELD) from exc
    found = await repository.by_tracking_digest(session, tracking_digest(code), lock=lock)
    if found is None:
        await lookups.record_failure(now)
        raise ResourceNotFound("no submission has this tracking code", field=FIELD)
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
        feedback_id=feedback.id,
        submitted_at=feedback.submitted_at,
        service_point_id=feedback.service_point_id,
        comment_status=_comment_status(feedback),
        withdrawn=feedback.withdrawn_at is not None,
        withdrawn_at=feedback.withdrawn_at,
        complaint=status,
    )


async def follow(
    session: AsyncSession, lookups: Lookups, *, code: str, now: datetime
) -> TrackingView:
    """Status, deadlines and public history of a submission, by its tracking code."""
    feedback = await find(session, code, lookups, now)
    return await view(session, feedback, now)


async def withdraw(
    session: AsyncSession, outbox: Outbox, lookups: Lookups, *, code: str, now: datetime
) -> TrackingView:
    """Withdraw a submission: it stops counting and its personal data is erased. Idempotent."""
    feedback = await find(session, code, lookups, now, lock=True)
    await erase(session, outbox, feedback=feedback, now=now, reason="withdrawn")
    return await view(session, feedback, now)


async def reopen(
    session: AsyncSession,
    outbox: Outbox,
    lookups: Lookups,
    *,
    code: str,
    reason: str,
    settings: FeedbackSettings,
    now: datetime,
) -> TrackingView:
    """The citizen disagrees with a resolved or rejected complaint and reopens it."""
    feedback = await find(session, code, lookups, now, lock=True)
    if not feedback.is_complaint or feedback.withdrawn_at is not None:
        raise Conflict("only a complaint that was not withdrawn can be reopened")
    await complaints.change_status(
        session,
        outbox,
        feedback=feedback,
        target=ComplaintStatus.REOPENED,
        actor="citizen",
        message=reason,
        settings=settings,
        now=now,
    )
    return await view(session, feedback, now)
