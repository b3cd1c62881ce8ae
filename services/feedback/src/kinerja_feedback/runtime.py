"""The feedback service's runtime: publishes kinerja.feedback and kinerja.feedback.comments,
reads kinerja.appraisal."""

from __future__ import annotations

from kinerja_feedback.clock import current_time
from kinerja_feedback.directory.consumers import router as directory_router
from kinerja_feedback.models import metadata
from kinerja_feedback.reminders.service import SCAN, scan
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, FEEDBACK_COMMENTS
from kinerja_shared.runtime import ConsumerSpec, PeriodicTask, ServiceRuntime


def build_runtime(settings: FeedbackSettings) -> ServiceRuntime:
    """Engine, outbox relay, the directory consumer and the complaint reminder scan of one
    feedback process."""
    return ServiceRuntime(
        settings,
        metadata,
        publishes=(FEEDBACK, FEEDBACK_COMMENTS),
        consumers=(
            ConsumerSpec(
                group_id=settings.consumer_group, topics=(APPRAISAL,), router=directory_router
            ),
        ),
        periodic=(PeriodicTask(SCAN, settings.reminder_scan_seconds, scan),),
        clock=current_time,
    )
