"""Request and response models of assessments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Literal

from pydantic import BaseModel, Field

from kinerja_appraisal.domain import BerAkhlak, Rating
from kinerja_appraisal.execution.schemas import CitizenFeedbackPublic
from kinerja_shared.law.predikat import PredikatPegawai
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
    predikat: PredikatPegawai
    proposed_predikat: PredikatPegawai | None = Field(
        description="Annual periods: the predikat proposed from the periodic ones"
    )
    final_hasil: Rating | None
    final_perilaku: Rating | None
    final_predikat: PredikatPegawai | None
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


class FinalizeIn(RequestModel):
    """Optional body of a unit's finalisation: BKPSDM's override of a curve it cannot keep."""

    curve_override_reason: str | None = Field(
        default=None,
        min_length=1,
        max_length=4000,
        description="BKPSDM only: finalise although the distribution breaks the kurva, for"
        " this reason; allowed when the curve cannot be kept for the unit's size or the unit"
        " is smaller than policy.kurva_small_unit_threshold",
    )


class CurveExceptionPublic(BaseModel):
    """A recorded, reasoned exception to the kurva (objection decision or BKPSDM override)."""

    id: str
    unit_id: str
    period_id: str
    kind: Literal["objection_decision", "bkpsdm_override"]
    objection_id: str | None
    organisation_predikat: str
    employees: int
    curve_possible: bool
    violations: list[CurveViolationPublic]
    reason: str
    recorded_by: str
    recorded_at: datetime


class UnitFinalisation(BaseModel):
    """The outcome of finalising a unit's period."""

    unit_id: str
    period_id: str
    organisation_predikat: str
    counts: dict[str, int]
    finalized: int
    development_plans: int
    curve_exceptions: list[CurveExceptionPublic] = Field(
        default_factory=list, description="The BKPSDM override recorded, if any"
    )


class UnitDistribution(BaseModel):
    """A unit's predikat in a period against its kurva, with the exceptions recorded."""

    unit_id: str
    period_id: str
    period_key: str
    organisation_predikat: str | None = Field(description="None until BKPSDM sets it")
    finalised: bool
    employees: int
    counts: dict[str, int] = Field(description="Final predikat once finalised, else drafts")
    violations: list[CurveViolationPublic]
    curve_possible: bool | None = Field(
        description="False: no distribution of this many employees keeps the curve"
    )
    impossibility: str | None = Field(description="Why the curve cannot be kept, if so")
    override_allowed: bool | None = Field(
        description="Whether BKPSDM may finalise against the curve (impossible or small unit)"
    )
    exceptions: list[CurveExceptionPublic]


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
