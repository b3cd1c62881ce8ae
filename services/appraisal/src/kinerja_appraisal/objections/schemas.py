"""Request and response models of objections."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from kinerja_appraisal.domain import Rating


class ObjectionIn(BaseModel):
    """The employee's reasons for objecting."""

    model_config = ConfigDict(extra="forbid")
    reasons: str = Field(min_length=1, max_length=4000)


class DecisionIn(BaseModel):
    """The reviewer's final decision; a change gives the new ratings."""

    model_config = ConfigDict(extra="forbid")
    decision: Literal["upheld", "changed"]
    reasons: str = Field(min_length=1, max_length=4000)
    hasil: Rating | None = None
    perilaku: Rating | None = None


class ObjectionPublic(BaseModel):
    """An objection as the API shows it."""

    id: str
    assessment_id: str
    employee_id: str
    reviewer_id: str
    reasons: str
    state: str
    decision_reasons: str | None
    filed_at: datetime
    decided_at: datetime | None
