"""Request and response models of objections."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from kinerja_appraisal.domain import Rating
from kinerja_shared.schemas import RequestModel


class ObjectionIn(RequestModel):
    """The employee's reasons for objecting."""

    reasons: str = Field(min_length=1, max_length=4000)


class StatementIn(RequestModel):
    """The appraiser's side, for the reviewer to hear before deciding."""

    statement: str = Field(min_length=1, max_length=4000)


class DecisionIn(RequestModel):
    """The reviewer's final decision; a change gives the new ratings."""

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
    appraiser_statement: str | None
    filed_at: datetime
    decided_at: datetime | None
    appraiser_statement_at: datetime | None = Field(description="When the appraiser answered")
    statement_due_at: datetime | None = Field(
        description="Until when the appraiser may answer before the reviewer decides without"
    )
    appraiser_no_answer_at: datetime | None = Field(
        description="When the reviewer decided without an answer, the appraiser's time over"
    )
