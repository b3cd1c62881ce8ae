"""The deadline reminder scan (docs/domain.md, "Deadline reminders"): find what is
due at a moment and publish each reminder once, whatever else scans at the same time."""

from __future__ import annotations

import logging
from datetime import date, datetime, timedelta
from typing import cast

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.domain.reminders import (
    due_draft_reminders,
    due_objection_reminders,
    due_skp_reminders,
    wita_today,
)
from kinerja_appraisal.models import SentReminder
from kinerja_appraisal.reminders import repository
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.events.types.appraisal import (
    AssessmentDraftReminded,
    ObjectionWindowReminded,
    SkpReminded,
)
from kinerja_shared.reminders import Reminder, publish_once
from kinerja_shared.runtime import ServiceRuntime

log = logging.getLogger(__name__)

#: The name of the scan among the runtime's periodic tasks.
SCAN = "reminder-scan"


async def due_reminders(
    session: AsyncSession, settings: AppraisalSettings, now: datetime
) -> list[Reminder]:
    """Every reminder due at `now`, sent or not."""
    today = wita_today(now)
    return [
        *await _skp_reminders(session, settings, today, now),
        *await _draft_reminders(session, settings, today, now),
        *await _objection_reminders(session, settings, now),
    ]


async def scan(runtime: ServiceRuntime, now: datetime) -> int:
    """Publish the reminders due at `now` not yet sent; how many this pass published.

    Each reminder is recorded in the transaction that queues its event, so a replica or a
    restarted process scanning the same deadline finds the record and publishes nothing.
    """
    settings = cast(AppraisalSettings, runtime.settings)
    async with runtime.sessions() as session:
        due = await due_reminders(session, settings, now)
    sent = await publish_once(runtime, SentReminder, due, now=now)
    if sent:
        log.info("deadline reminders published", extra={"reminders": sent})
    return sent


async def _skp_reminders(
    session: AsyncSession, settings: AppraisalSettings, today: date, now: datetime
) -> list[Reminder]:
    lead = settings.skp_reminder_days
    periods = await repository.open_periods_ending(session, today, today + timedelta(days=lead))
    plans = await repository.employee_plans(session, {p.year for p in periods})
    return [
        Reminder(
            kind="skp",
            subject_id=due.plan.employee_id,
            deadline=due.period.ends_on,
            payload=SkpReminded(
                employee_id=due.plan.employee_id,
                unit_id=due.plan.unit_id,
                supervisor_id=due.plan.supervisor_id,
                year=due.plan.year,
                skp_id=due.plan.skp_id,
                reminder=due.reminder,
                period_id=due.period.period_id,
                period_key=due.period.period_key,
                due_on=due.period.ends_on,
                days_left=due.days_left,
                reminded_at=now,
            ),
        )
        for due in due_skp_reminders(periods, plans, today=today, lead_days=lead)
    ]


async def _draft_reminders(
    session: AsyncSession, settings: AppraisalSettings, today: date, now: datetime
) -> list[Reminder]:
    lead, closing = settings.draft_reminder_days, settings.unit_closing_days
    first = today - timedelta(days=closing)
    drafts = await repository.draft_assessments_of_periods_ending(
        session, first, first + timedelta(days=lead)
    )
    return [
        Reminder(
            kind="assessment_draft",
            subject_id=draft.assessment_id,
            deadline=closes_on,
            payload=AssessmentDraftReminded(
                assessment_id=draft.assessment_id,
                employee_id=draft.employee_id,
                appraiser_id=draft.appraiser_id,
                unit_id=draft.unit_id,
                period_id=draft.period_id,
                period_key=draft.period_key,
                closes_on=closes_on,
                days_left=left,
                reminded_at=now,
            ),
        )
        for draft, closes_on, left in due_draft_reminders(
            drafts, today=today, lead_days=lead, closing_days=closing
        )
    ]


async def _objection_reminders(
    session: AsyncSession, settings: AppraisalSettings, now: datetime
) -> list[Reminder]:
    window, lead = settings.policy.objection_window_days, settings.objection_reminder_days
    # Results finalised earlier than this have a window closed by now (a day's margin for
    # the WITA date of finalisation).
    results = await repository.unacknowledged_results_since(
        session, now - timedelta(days=window + 1)
    )
    return [
        Reminder(
            kind="objection_window",
            subject_id=result.assessment_id,
            deadline=closes_on,
            payload=ObjectionWindowReminded(
                assessment_id=result.assessment_id,
                employee_id=result.employee_id,
                unit_id=result.unit_id,
                period_id=result.period_id,
                period_key=result.period_key,
                finalized_at=result.finalized_at,
                closes_on=closes_on,
                days_left=left,
                reminded_at=now,
            ),
        )
        for result, closes_on, left in due_objection_reminders(
            results, now=now, window_days=window, lead_days=lead
        )
    ]
