"""Response models of improvement flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel, Field


class UnitFlagPublic(BaseModel):
    """A unit's "needs improvement" flag for a period with the evidence behind it."""

    unit_id: str
    unit_name: str | None
    period_key: str
    active: bool
    ikm: str | None
    band: str | None
    respondents: int
    reasons: list[dict[str, Any]]
    changed_at: datetime
    follow_up_plan_id: str | None = Field(
        default=None, description="The unit's follow-up plan for the period, once recorded"
    )
    follow_up_plan_url: str | None = Field(
        default=None, description="Where that plan is published (no token needed)"
    )
