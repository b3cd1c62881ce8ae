"""Use cases of complaints: lifecycle, responses, deadlines and the citizen's contact."""

from __future__ import annotations

import json
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.access import require_unit_staff
from kinerja_feedback.complaints.schemas import ComplaintView, ContactView, HistoryEntry
from kinerja_feedback.crypto import Secrets
from kinerja_feedback.domain import complaint
from kinerja_feedback.domain.redaction import redact
from kinerja_feedback.models import ComplaintEntry, Feedback, ModerationAction
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import ComplaintStatusChanged
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, ResourceNotFound


def overdue_of(feedback: Feedback, now: datetime) -> list[str]:
    """The deadlines a complaint has missed at a moment."""
    if feedback.complaint_status is None or feedback.first_response_due is None:
        return []
    assert feedback.resolution_due is not None
    due = complaint.Deadlines(feedback.first_response_due, feedback.resolution_due)
    return [
        str(d)
        for d in complaint.overdue(due, complaint.ComplaintStatus(feedback.complaint_status), now)
    ]


async def history(session: AsyncSession, feedback_id: str) -> list[HistoryEntry]:
    """The public history of a complaint, oldest first."""
    rows = await session.scalars(
        select(ComplaintEntry)
        .where(col(ComplaintEntry.feedback_id) == feedback_id)
        .order_by(col(ComplaintEntry.id))
    )
    return [
        HistoryEntry(
            kind=r.kind,
            previous_status=r.previous_status,
            status=r.status,
            message=r.message,
            at=r.at,
        )
        for r in rows
    ]


async def load_complaint(
    session: AsyncSession, feedback_id: str, *, lock: bool = False
) -> Feedback:
    """A complaint by feedback id; 404 when there is none (or it was withdrawn)."""
    stmt = select(Feedback).where(col(Feedback.id) == feedback_id)
    if lock:
        stmt = stmt.with_for_update()
    found = (await session.scalars(stmt)).first()
    if found is None or not found.is_complaint or found.withdrawn_at is not None:
        raise ResourceNotFound("no such complaint")
    return found


async def view(session: AsyncSession, feedback: Feedback, now: datetime) -> ComplaintView:
    """The staff view of a complaint."""
    assert feedback.first_response_due is not None
    assert feedback.resolution_due is not None
    return ComplaintView(
        feedback_id=feedback.id,
        tracking_code=feedback.tracking_code,
        unit_id=feedback.unit_id,
        service_point_id=feedback.service_point_id,
        category=feedback.complaint_category or "",
        status=feedback.complaint_status or "",
        first_response_due=feedback.first_response_due,
        resolution_due=feedback.resolution_due,
        overdue=overdue_of(feedback, now),
        comment_redacted=feedback.comment_redacted,
        has_contact=feedback.contact_encrypted is not None,
        submitted_at=feedback.submitted_at,
        history=await history(session, feedback.id),
    )


async def change_status(
    session: AsyncSession,
    outbox: Outbox,
    *,
    feedback: Feedback,
    target: complaint.ComplaintStatus,
    actor: str,
    message: str | None,
    now: datetime,
) -> None:
    """Move a complaint (domain transition table), record it and publish the change."""
    current = complaint.ComplaintStatus(feedback.complaint_status or "")
    try:
        complaint.transition(current, target)
    except complaint.IllegalTransition as exc:
        raise Conflict(str(exc), field="body.status") from exc
    feedback.complaint_status = target
    feedback.updated_at = now
    session.add(
        ComplaintEntry(
            feedback_id=feedback.id,
            kind="status",
            previous_status=current,
            status=target,
            message=redact(message).text if message else None,
            actor=actor,
            at=now,
        )
    )
    assert feedback.first_response_due is not None
    assert feedback.resolution_due is not None
    await session.flush()
    await outbox.add(
        session,
        ComplaintStatusChanged(
            feedback_id=feedback.id,
            unit_id=feedback.unit_id,
            service_point_id=feedback.service_point_id,
            category=feedback.complaint_category or "",
            previous_status=current.value,
            status=target.value,
            first_response_due=feedback.first_response_due,
            resolution_due=feedback.resolution_due,
            overdue=overdue_of(feedback, now),
            changed_at=now,
        ),
    )


async def respond(
    session: AsyncSession, *, identity: Identity, feedback_id: str, message: str, now: datetime
) -> Feedback:
    """Add a public response of the unit (masked like any published text)."""
    feedback = await load_complaint(session, feedback_id)
    require_unit_staff(identity, feedback.unit_id)
    session.add(
        ComplaintEntry(
            feedback_id=feedback.id,
            kind="response",
            previous_status=feedback.complaint_status,
            status=feedback.complaint_status or "",
            message=redact(message).text,
            actor=identity.subject,
            at=now,
        )
    )
    feedback.updated_at = now
    await session.flush()
    return feedback


async def read_contact(
    session: AsyncSession, secrets: Secrets, *, identity: Identity, feedback_id: str, now: datetime
) -> ContactView:
    """Decrypt the contact for the staff handling the complaint; every read is logged."""
    feedback = await load_complaint(session, feedback_id)
    require_unit_staff(identity, feedback.unit_id)
    plain = secrets.decrypt(feedback.contact_encrypted)
    if plain is None:
        raise ResourceNotFound("the citizen left no contact")
    session.add(
        ModerationAction(
            feedback_id=feedback.id,
            action="contact_read",
            reason=None,
            actor=identity.subject,
            at=now,
        )
    )
    return ContactView(feedback_id=feedback.id, **json.loads(plain))


async def list_complaints(
    session: AsyncSession, *, unit_id: str | None, status: str | None, limit: int
) -> list[Feedback]:
    """Complaints of a unit (or all), newest first."""
    stmt = select(Feedback).where(
        col(Feedback.is_complaint).is_(True),
        col(Feedback.withdrawn_at).is_(None),
    )
    if unit_id is not None:
        stmt = stmt.where(col(Feedback.unit_id) == unit_id)
    if status is not None:
        stmt = stmt.where(col(Feedback.complaint_status) == status)
    rows = await session.scalars(stmt.order_by(col(Feedback.submitted_at).desc()).limit(limit))
    return list(rows)
