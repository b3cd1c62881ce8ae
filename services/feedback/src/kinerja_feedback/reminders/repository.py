"""SQL of the complaint deadline reminders: the open complaints, and what was sent."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import col

from kinerja_feedback.domain.complaint import OPEN_STATUSES, ComplaintStatus
from kinerja_feedback.domain.reminders import OpenComplaint
from kinerja_feedback.models import Feedback


async def open_complaints_due_from(session: AsyncSession, today: date) -> list[OpenComplaint]:
    """Open complaints (not withdrawn) with a first response or resolution due today or
    later."""
    rows = await session.execute(
        select(
            col(Feedback.id),
            col(Feedback.unit_id),
            col(Feedback.service_point_id),
            col(Feedback.complaint_category),
            col(Feedback.handler_employee_id),
            col(Feedback.complaint_status),
            col(Feedback.verified_at),
            col(Feedback.first_response_at),
            col(Feedback.first_response_due),
            col(Feedback.resolution_due),
        ).where(
            col(Feedback.is_complaint).is_(True),
            col(Feedback.withdrawn_at).is_(None),
            col(Feedback.complaint_status).in_([s.value for s in OPEN_STATUSES]),
            or_(col(Feedback.first_response_due) >= today, col(Feedback.resolution_due) >= today),
        )
    )
    return [
        OpenComplaint(
            feedback_id=row[0],
            unit_id=row[1],
            service_point_id=row[2],
            category=row[3] or "simple_complaint",
            handler_employee_id=row[4],
            status=ComplaintStatus(str(row[5])),
            verified=row[6] is not None,
            responded=row[7] is not None,
            first_response_due=row[8],
            resolution_due=row[9],
        )
        for row in rows
        if row[8] is not None and row[9] is not None
    ]
