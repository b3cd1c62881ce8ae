"""Request and response models of follow-up plans (rencana tindak lanjut)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints

from kinerja_shared.law.skm import UnsurValue
from kinerja_shared.schemas import RequestModel

Status = Literal["planned", "in_progress", "done"]
PeriodKey = Annotated[str, StringConstraints(pattern=r"^\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?$")]
Description = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=1000)
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]
EmployeeId = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]
#: Actions one request may record (a plan of more is recorded in several requests).
MAX_ACTIONS_PER_REQUEST = 50


class FollowUpActionCreate(RequestModel):
    """An action: the SKM element it improves, what is done, who answers for it and by when."""

    element: UnsurValue
    description: Description
    owner_employee_id: EmployeeId
    due_date: date


class FollowUpActionsAdd(RequestModel):
    """Actions to add to a plan."""

    actions: list[FollowUpActionCreate] = Field(min_length=1, max_length=MAX_ACTIONS_PER_REQUEST)


class FollowUpPlanCreate(FollowUpActionsAdd):
    """A unit's follow-up plan of its SKM result for a period (2026, 2026-Q1 or 2026-03)."""

    unit_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    period_key: PeriodKey


class FollowUpProgressCreate(RequestModel):
    """Where an action stands now: planned is 0 %, done 100 %, in progress 0-99 % (without a
    percentage it keeps its current one)."""

    status: Status
    progress_percent: int | None = Field(default=None, ge=0, le=100, strict=True)
    note: Note | None = None


class FollowUpProgressPublic(BaseModel):
    """One step of an action's history."""

    status: Status
    progress_percent: int
    note: str | None
    actor: str
    at: datetime


class FollowUpActionPublic(BaseModel):
    """An action of a plan, where it stands and how it got there (oldest step first)."""

    id: str
    element: UnsurValue
    description: str
    owner_employee_id: str
    due_date: date
    status: Status
    progress_percent: int
    history: list[FollowUpProgressPublic]


class FollowUpPlanPublic(BaseModel):
    """A follow-up plan as its unit's staff see it."""

    id: str
    unit_id: str
    period_key: str
    recorded_by: str
    created_at: datetime
    updated_at: datetime
    actions: list[FollowUpActionPublic]
