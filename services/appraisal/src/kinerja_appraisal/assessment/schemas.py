"""Request and response models of assessments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from kinerja_appraisal.domain import BerAkhlak, Predikat, Rating
from kinerja_appraisal.execution.schemas import CitizenFeedbackPublic
from kinerja_shared.schemas import RequestModel


class PerilakuValueIn(RequestModel):
    """The rating of one BerAKHLAK value; a note is required unless Sesuai."""

    rating: Rating
    note: str | None = Field(default=None, max_length=4000)


class AssessmentRatings(RequestModel):
    """The appraiser's ratings. A unit head's Hasil Kerja is the unit's result: omit it."""

    hasil: Rating | None = None
    hasil_note: str | None = Field(default=None, max_length=4000)
    rhk_ratings: dict[str, Rating] | None = Field(
        default=None,
        description="Rating of every RHK of the approved plan; without `hasil`, Hasil Kerja"
        " is proposed from them (most above and no main result below: Di Atas; at most"
        " a small part of main results below: Sesuai; otherwise Di Bawah)",
    )
    perilaku_values: dict[BerAkhlak, PerilakuValueIn] = Field(
        description="All seven BerAKHLAK values, each with a rating (and a note unless Sesuai)"
    )
    perilaku: Rating | None = Field(
        default=None,
        description="Overall Perilaku Kerja; when omitted it is proposed from the values",
    )


class AssessmentCreate(AssessmentRatings):
    """A new (draft) assessment of a direct subordinate for a period."""

    employee_id: str = Field(max_length=32)
    period_id: str = Field(max_length=32)


class AssessmentPublic(BaseModel):
    """An assessment, with the citizen feedback summary next to the behaviour ratings."""

    id: str
    employee_id: str
    period_id: str
    period_key: str
    unit_id: str
    appraiser_id: str
    state: str
    is_unit_head: bool
    hasil: Rating
    hasil_note: str | None
    rhk_ratings: dict[str, str] | None
    perilaku: Rating
    perilaku_values: dict[str, Any]
    predikat: Predikat
    proposed_predikat: Predikat | None = Field(
        description="Annual periods: the predikat proposed from the periodic ones"
    )
    final_hasil: Rating | None
    final_perilaku: Rating | None
    final_predikat: Predikat | None
    citizen_feedback: CitizenFeedbackPublic | None
    finalized_at: datetime | None
    acknowledged_at: datetime | None
    objection_deadline: date | None
    snapshot: dict[str, Any] | None


class CurveViolationPublic(BaseModel):
    """One broken kurva constraint with its numbers."""

    code: str
    message: str
    predikat: list[str]
    actual: int
    total: int
    limit: int
    employees_to_change: int


class UnitFinalisation(BaseModel):
    """The outcome of finalising a unit's period."""

    unit_id: str
    period_id: str
    organisation_predikat: str
    counts: dict[str, int]
    finalized: int
    development_plans: int


class VersionPublic(BaseModel):
    """A version of a final result (1 original; 2 after an objection changed it)."""

    version: int
    hasil: str
    perilaku: str
    predikat: str
    reason: str
    decided_by: str
    created_at: datetime


class AuditEntryPublic(BaseModel):
    """One entry of the audit trail."""

    id: str
    at: datetime
    actor: str
    action: str
    entity_type: str
    entity_id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None


class DevelopmentPlanPublic(BaseModel):
    """A development plan after a predikat of Butuh Perbaikan or lower."""

    id: str
    employee_id: str
    assessment_id: str
    predikat: str
    areas: list[str]
    trainings: list[dict[str, Any]]
    due_on: date
    created_at: datetime
