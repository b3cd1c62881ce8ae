"""Events published by the appraisal service (topic kinerja.appraisal). No personal data:
employees appear by opaque id and public staff code, never by NIP or name."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kinerja_shared.events.catalogue import EventPayload, event_type
from kinerja_shared.events.topics import APPRAISAL
from kinerja_shared.law.predikat import PredikatOrganisasiValue, PredikatPegawaiValue

UnitKind = Literal["dinas", "badan", "kecamatan", "kelurahan", "school", "other"]
PeriodKind = Literal["annual", "quarterly", "monthly"]
Rating = Literal["di_atas", "sesuai", "di_bawah"]


@event_type("unit.upserted", version=1, topic=APPRAISAL, key="unit_id", aggregate="unit")
class UnitUpserted(EventPayload):
    """A unit of the organisation was created or changed (the full current state)."""

    unit_id: str
    code: str
    name: str
    kind: UnitKind
    parent_id: str | None = None
    head_employee_id: str | None = None
    active: bool = True


@event_type(
    "employee.upserted", version=1, topic=APPRAISAL, key="employee_id", aggregate="employee"
)
class EmployeeUpsertedV1(EventPayload):
    """No longer published (replaced by v2): it carried the employee's name. Consumers still
    read it, ignoring the name, from records published before v2."""

    employee_id: str
    staff_code: str = Field(description="Public staff code citizens may name; never the NIP.")
    display_name: str
    kind: Literal["pns", "pppk"]
    position: str
    unit_id: str
    supervisor_id: str | None = None
    active: bool = True


@event_type(
    "employee.upserted", version=2, topic=APPRAISAL, key="employee_id", aggregate="employee"
)
class EmployeeUpserted(EventPayload):
    """An employee was created, changed or moved (the full current state), by id and public
    staff code only: names are resolved through the appraisal API, under the reader's own
    authorisation (v1 carried the name)."""

    employee_id: str
    staff_code: str = Field(description="Public staff code citizens may name; never the NIP.")
    kind: Literal["pns", "pppk"]
    position: str
    unit_id: str
    supervisor_id: str | None = None
    active: bool = True


#: Either version of employee.upserted, as consumers receive them.
AnyEmployeeUpserted = EmployeeUpserted | EmployeeUpsertedV1


@event_type("period.opened", version=1, topic=APPRAISAL, key="period_id", aggregate="period")
class PeriodOpened(EventPayload):
    """An appraisal period started running."""

    period_id: str
    period_key: str = Field(description="2026, 2026-Q1 or 2026-03")
    kind: PeriodKind
    year: int
    starts_on: date
    ends_on: date


@event_type("period.closed", version=1, topic=APPRAISAL, key="period_id", aggregate="period")
class PeriodClosed(EventPayload):
    """An appraisal period was closed."""

    period_id: str
    period_key: str
    kind: PeriodKind
    year: int
    closed_at: datetime


@event_type(
    "organisation_predikat.set", version=1, topic=APPRAISAL, key="unit_id", aggregate="unit"
)
class OrganisationPredikatSet(EventPayload):
    """BKPSDM set a unit's organisation predikat for a period (it bounds the kurva)."""

    unit_id: str
    period_id: str
    period_key: str
    predikat: PredikatOrganisasiValue


@event_type("skp.approved", version=1, topic=APPRAISAL, key="skp_id", aggregate="skp")
class SkpApproved(EventPayload):
    """A version of an employee's SKP plan was approved by the supervisor."""

    skp_id: str
    employee_id: str
    unit_id: str
    year: int
    version: int
    approved_by: str
    rhk_count: int
    indicator_count: int
    approved_at: datetime


@event_type(
    "assessment.finalized", version=1, topic=APPRAISAL, key="assessment_id", aggregate="assessment"
)
class AssessmentFinalized(EventPayload):
    """An assessment became final: ratings and predikat for one employee and period."""

    assessment_id: str
    employee_id: str
    unit_id: str
    appraiser_id: str
    period_id: str
    period_key: str
    period_kind: PeriodKind
    hasil: Rating
    perilaku: Rating
    predikat: PredikatPegawaiValue
    finalized_at: datetime


@event_type(
    "objection.filed", version=1, topic=APPRAISAL, key="assessment_id", aggregate="assessment"
)
class ObjectionFiled(EventPayload):
    """An employee objected to a final assessment (the reasons stay in the service)."""

    objection_id: str
    assessment_id: str
    employee_id: str
    reviewer_id: str
    filed_at: datetime


@event_type(
    "objection.decided", version=1, topic=APPRAISAL, key="assessment_id", aggregate="assessment"
)
class ObjectionDecided(EventPayload):
    """The reviewer upheld or changed an objected assessment; the decision is final."""

    objection_id: str
    assessment_id: str
    employee_id: str
    unit_id: str
    period_key: str
    decision: Literal["upheld", "changed"]
    original_predikat: PredikatPegawaiValue
    final_predikat: PredikatPegawaiValue
    final_hasil: Rating
    final_perilaku: Rating
    decided_by: str
    decided_at: datetime


@event_type(
    "development_plan.opened",
    version=1,
    topic=APPRAISAL,
    key="plan_id",
    aggregate="development_plan",
)
class DevelopmentPlanOpened(EventPayload):
    """A development plan was opened after a predikat of Butuh Perbaikan or lower."""

    plan_id: str
    employee_id: str
    unit_id: str
    assessment_id: str
    predikat: PredikatPegawaiValue
    areas: list[str]
    due_on: date


class CurveBreach(BaseModel):
    """One kurva constraint a unit's final predikat break, by how many employees."""

    code: str = Field(description="The constraint, e.g. baik_max_70")
    message: str
    predikat: list[PredikatPegawaiValue] = Field(
        description="The employee predikat the constraint counts"
    )
    actual: int
    total: int
    limit: int
    employees_to_change: int = Field(description="How many employees the constraint is off")


@event_type("curve_exception.recorded", version=1, topic=APPRAISAL, key="unit_id", aggregate="unit")
class CurveExceptionRecorded(EventPayload):
    """A unit's final predikat break the kurva and stand, for a recorded reason.

    `objection_decision`: an objection's final decision (PP 30/2019) changed a result;
    `bkpsdm_override`: BKPSDM finalised a unit whose curve cannot be kept, or a small unit.
    """

    exception_id: str
    unit_id: str
    period_id: str
    period_key: str
    kind: Literal["objection_decision", "bkpsdm_override"]
    objection_id: str | None = None
    organisation_predikat: PredikatOrganisasiValue
    employees: int = Field(description="Employees appraised in the unit for the period")
    curve_possible: bool = Field(description="False: no distribution of this size keeps it")
    violations: list[CurveBreach]
    reason: str = Field(description="The decision's reasons, or BKPSDM's reason to override")
    recorded_by: str = Field(
        description="The reviewer's employee id; for an override BKPSDM's employee id, or"
        " 'bkpsdm' when the BKPSDM account is not an employee's"
    )
    recorded_at: datetime


# Deadline reminders (docs/domain.md, "Deadline reminders"): each is published once
# per subject and deadline, a lead time before the deadline, by ids only.


@event_type("skp.reminded", version=1, topic=APPRAISAL, key="employee_id", aggregate="employee")
class SkpReminded(EventPayload):
    """An employee's SKP of a year is not yet approved a few days before the last day of a
    period of that year (realisations need an approved SKP)."""

    employee_id: str
    unit_id: str
    supervisor_id: str | None = Field(
        default=None, description="Who approves the SKP (the employee's supervisor), by id"
    )
    year: int
    skp_id: str | None = Field(default=None, description="The latest version; none when missing")
    reminder: Literal["not_submitted", "not_approved"] = Field(
        description="not_submitted: no SKP, or a draft or returned one; not_approved: submitted"
    )
    period_id: str
    period_key: str
    due_on: date = Field(description="The deadline: the period's last day (WITA date)")
    days_left: int = Field(ge=0, description="Calendar days from the WITA date of the reminder")
    reminded_at: datetime


@event_type(
    "assessment.draft_reminded",
    version=1,
    topic=APPRAISAL,
    key="assessment_id",
    aggregate="assessment",
)
class AssessmentDraftReminded(EventPayload):
    """An assessment is still a draft a few days before its unit's closing date for the
    period."""

    assessment_id: str
    employee_id: str
    appraiser_id: str
    unit_id: str
    period_id: str
    period_key: str
    closes_on: date = Field(description="The unit's closing date for the period (WITA date)")
    days_left: int = Field(ge=0, description="Calendar days from the WITA date of the reminder")
    reminded_at: datetime


@event_type(
    "assessment.objection_window_reminded",
    version=1,
    topic=APPRAISAL,
    key="assessment_id",
    aggregate="assessment",
)
class ObjectionWindowReminded(EventPayload):
    """The window to object to a final assessment closes in a few days and the employee has
    neither acknowledged the result nor objected."""

    assessment_id: str
    employee_id: str
    unit_id: str
    period_id: str
    period_key: str
    finalized_at: datetime
    closes_on: date = Field(description="The last day an objection may be filed (WITA date)")
    days_left: int = Field(ge=0, description="Calendar days from the WITA date of the reminder")
    reminded_at: datetime
