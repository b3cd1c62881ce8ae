"""The complaint deadline reminder scan (docs/domain.md, complaints: reminders): find the
duties due a reminder at a moment and publish each reminder once, whatever else scans at
the same time."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import cast

from kinerja_feedback.domain.complaint import Duty
from kinerja_feedback.domain.reminders import DutyReminder, due_duty_reminders
from kinerja_feedback.domain.wita import wita_date
from kinerja_feedback.holidays.service import working_calendar
from kinerja_feedback.models import SentReminder
from kinerja_feedback.reminders import repository
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.events.types.feedback import ComplaintDutyReminded
from kinerja_shared.reminders import Reminder, publish_once
from kinerja_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: The name of the scan among the runtime's periodic tasks.
SCAN = "reminder-scan"


async def scan(runtime: ServiceRuntime, now: datetime) -> int:
    """Publish the complaint reminders due at `now` not yet sent; how many this pass
    published.

    Each reminder is recorded in the transaction that queues its event, so a replica or a
    restarted process scanning the same deadline finds the record and publishes nothing.
    """
    settings = cast(FeedbackSettings, runtime.settings)
    today = wita_date(now)
    async with runtime.sessions() as session:
        complaints = await repository.open_complaints_due_from(session, today)
        calendar = await working_calendar(session, settings, today)
    due = due_duty_reminders(
        complaints,
        now=now,
        calendar=calendar,
        lead_working_days=settings.complaint_reminder_working_days,
    )
    reminders = [
        Reminder(
            kind=f"complaint_{reminder.duty.value}",
            subject_id=reminder.complaint.feedback_id,
            deadline=reminder.due_on,
            payload=_event(reminder, now),
        )
        for reminder in due
    ]
    sent = await publish_once(runtime, SentReminder, reminders, now=now)
    if sent:
        log.info("complaint deadline reminders published", extra={"reminders": sent})
    return sent


def _event(reminder: DutyReminder, now: datetime) -> ComplaintDutyReminded:
    complaint = reminder.complaint
    return ComplaintDutyReminded.model_validate(
        {
            "feedback_id": complaint.feedback_id,
            "unit_id": complaint.unit_id,
            "service_point_id": complaint.service_point_id,
            "category": complaint.category,
            "handler_employee_id": complaint.handler_employee_id,
            "duty": "first_response" if reminder.duty is Duty.FIRST_RESPONSE else "resolution",
            "due_on": reminder.due_on,
            "working_days_left": reminder.working_days_left,
            "reminded_at": now,
        }
    )
