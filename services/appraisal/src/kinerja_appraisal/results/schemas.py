"""Response models of the pull API."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field


class ResultChange(BaseModel):
    """The current final result of one assessment, at its latest change number."""

    sequence: int = Field(description="Monotonic change number; the cursor of the next page")
    assessment_id: str
    employee_id: str
    staff_code: str
    unit_id: str
    period_id: str
    period_key: str
    state: str
    hasil: str
    perilaku: str
    predikat: str
    changed_by_objection: bool
    finalized_at: datetime


class ResultChanges(BaseModel):
    """A page of changes; pass `next_cursor` as `after` to fetch what came next."""

    items: list[ResultChange]
    next_cursor: int = Field(description="The last sequence returned (or the given cursor)")
    has_more: bool
