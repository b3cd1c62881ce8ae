"""The one place where event types are mapped to the handlers of this service."""

from __future__ import annotations

from kinerja_appraisal.execution import consumers as execution
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.types.reporting import FeedbackSummaryPublished


def register_handlers(router: EventRouter) -> EventRouter:
    """Map every consumed event type to its handler (kinerja.reporting's summaries)."""
    router.on(FeedbackSummaryPublished)(execution.on_feedback_summary)
    return router
