"""The feedback service's runtime: publishes kinerja.feedback and kinerja.feedback.comments,
reads kinerja.appraisal; and what else one process holds (its secrets, the demo seed)."""

from __future__ import annotations

import asyncio
import contextlib

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.dependencies import current_time
from kinerja_feedback.handlers import register_handlers
from kinerja_feedback.models import metadata
from kinerja_feedback.reminders.service import SCAN, scan
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.topics import APPRAISAL, FEEDBACK, FEEDBACK_COMMENTS
from kinerja_shared.runtime import ConsumerSpec, PeriodicTask, ServiceRuntime


def create_runtime(settings: FeedbackSettings) -> ServiceRuntime:
    """Engine, outbox relay, the directory consumer and the complaint reminder scan of one
    feedback process."""
    return ServiceRuntime(
        settings,
        metadata,
        publishes=(FEEDBACK, FEEDBACK_COMMENTS),
        consumers=(
            ConsumerSpec(
                group_id=settings.consumer_group,
                topics=(APPRAISAL,),
                router=register_handlers(EventRouter()),
            ),
        ),
        periodic=(PeriodicTask(SCAN, settings.reminder_scan_seconds, scan),),
        clock=current_time,
    )


def create_secrets(settings: FeedbackSettings) -> Secrets:
    """The encryption and hashing keys of one process (FEEDBACK_CONTACT_KEYS, the hash key)."""
    return Secrets(settings)


class DemoSeed:
    """The demo seed (FEEDBACK_SEED_DEMO) running beside the app from startup; stopped before
    the runtime closes the database."""

    def __init__(self, settings: FeedbackSettings, secrets: Secrets) -> None:
        self.settings = settings
        self.secrets = secrets
        self.tasks: set[asyncio.Task[int]] = set()

    async def start(self, runtime: ServiceRuntime) -> None:
        """Start seeding in the background when the settings ask for it (a startup hook)."""
        if not self.settings.seed_demo:
            return
        from kinerja_feedback.demo.seed import seed_demo

        task = asyncio.create_task(
            seed_demo(runtime, self.settings, self.secrets, follow_seconds=None),
            name="seed-demo",
        )
        self.tasks.add(task)
        task.add_done_callback(self.tasks.discard)

    async def stop(self) -> None:
        """Cancel a seed still running and wait for it."""
        for task in list(self.tasks):
            task.cancel()
        for task in list(self.tasks):
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await task
