"""Events published by the reporting service (topic kinerja.reporting)."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from kinerja_shared.events.catalogue import EventPayload, event_type
from kinerja_shared.events.topics import REPORTING


@event_type(
    "feedback_summary.published",
    version=1,
    topic=REPORTING,
    key="summary_id",
    aggregate="feedback_summary",
)
class FeedbackSummaryPublished(EventPayload):
    """An employee's citizen feedback summary for a period changed."""

    summary_id: str = Field(description="<employee_id>/<period_key>")
    employee_id: str
    period_key: str
    responses: int
    minimum_responses: int
    sufficient: bool = Field(description="False below the minimum: the means are then null")
    u6_mean: Decimal | None = None
    u7_mean: Decimal | None = None
    overall_rating_mean: Decimal | None = None
    satisfaction_index: Decimal | None = None
    computed_at: datetime


class ImprovementReason(BaseModel):
    """One reason a unit was flagged, with the numbers behind it."""

    code: Literal["low_band", "ikm_drop"]
    explanation: str
    ikm: Decimal | None = None
    band: str | None = None
    previous_ikm: Decimal | None = None
    drop: Decimal | None = None


@event_type(
    "unit.improvement_required", version=1, topic=REPORTING, key="unit_id", aggregate="unit"
)
class UnitImprovementRequired(EventPayload):
    """A unit's citizen satisfaction needs improvement (flag raised or its evidence changed)."""

    unit_id: str
    period_key: str
    reasons: list[ImprovementReason]
    ikm: Decimal | None = None
    band: str | None = None
    respondents: int
    flagged_at: datetime


@event_type("unit.improvement_cleared", version=1, topic=REPORTING, key="unit_id", aggregate="unit")
class UnitImprovementCleared(EventPayload):
    """A unit's improvement flag cleared: the rule no longer holds."""

    unit_id: str
    period_key: str
    cleared_at: datetime
