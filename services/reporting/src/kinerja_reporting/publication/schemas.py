"""Response models of the published IKM results and follow-up plans: no personal data (the
owner of an action appears by public staff code only) and nothing awaiting moderation."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kinerja_reporting.ikm.schemas import IkmReport

Status = Literal["planned", "in_progress", "done"]


class PublishedProgress(BaseModel):
    """One step of an action's progress."""

    status: Status
    progress_percent: int
    note: str | None
    at: datetime


class PublishedAction(BaseModel):
    """An action of a follow-up plan and where it stands."""

    element: str = Field(description="The SKM element (unsur) it improves, U1-U9")
    element_label: str
    description: str
    owner_staff_code: str | None = Field(
        description="The public staff code of the employee responsible (None: not known here)"
    )
    due_date: date
    status: Status
    progress_percent: int
    progress: list[PublishedProgress] = Field(description="Every step, oldest first")


class PublishedPlan(BaseModel):
    """A unit's follow-up plan (rencana tindak lanjut) of its SKM result for a period."""

    id: str
    url: str = Field(description="Where the plan is published (no token needed)")
    unit_id: str
    unit_name: str | None
    period_key: str
    recorded_at: datetime
    updated_at: datetime
    progress_percent: int = Field(description="Mean progress of its actions, rounded down")
    actions: list[PublishedAction]


class PublishedUnitResult(BaseModel):
    """A unit's IKM for a period and, next to it, its follow-up plan (None: none recorded)."""

    ikm: IkmReport
    follow_up_plan: PublishedPlan | None


class PublishedServicePointResult(BaseModel):
    """A service point's IKM for a period and its unit's follow-up plan (None: none recorded)."""

    ikm: IkmReport
    follow_up_plan: PublishedPlan | None
