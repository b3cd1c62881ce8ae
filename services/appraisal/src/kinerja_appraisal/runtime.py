"""The service runtime: publishes kinerja.appraisal, consumes kinerja.reporting."""

from __future__ import annotations

from kinerja_appraisal.dependencies import current_time
from kinerja_appraisal.handlers import register_handlers
from kinerja_appraisal.models import metadata
from kinerja_appraisal.reminders.service import SCAN, scan
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.topics import APPRAISAL, REPORTING
from kinerja_shared.runtime import ConsumerSpec, PeriodicTask, ServiceRuntime


def create_runtime(settings: AppraisalSettings) -> ServiceRuntime:
    """Engine, outbox relay, the feedback-summary consumer and the deadline reminder scan of
    one process."""
    return ServiceRuntime(
        settings,
        metadata,
        publishes=(APPRAISAL,),
        consumers=(
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=(REPORTING,),
                router=register_handlers(EventRouter()),
            ),
        ),
        periodic=(PeriodicTask(SCAN, settings.reminder_scan_seconds, scan),),
        clock=current_time,
    )
