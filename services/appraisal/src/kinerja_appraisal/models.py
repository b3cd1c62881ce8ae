"""Tables of the appraisal service (one SQLModel registry, so its own metadata)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kinerja_shared.columns import UtcDateTime
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.messaging import messaging_tables


def new_id() -> str:
    """A new opaque identifier."""
    return uuid.uuid4().hex


class Base(SQLModel, registry=registry()):
    """Base of the appraisal tables."""


class Unit(Base, table=True):
    """A unit kerja: a node of the organisation tree."""

    __tablename__ = "unit"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    code: str = Field(max_length=40, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=20, index=True)
    parent_id: str | None = Field(default=None, foreign_key="unit.id", index=True, max_length=32)
    head_employee_id: str | None = Field(default=None, max_length=32)
    active: bool = True
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class Employee(Base, table=True):
    """An ASN employee (PNS or PPPK) with their current unit, position and supervisor."""

    __tablename__ = "employee"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    nip: str = Field(max_length=18, unique=True, index=True)
    staff_code: str = Field(max_length=20, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=10)
    position: str = Field(max_length=200)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=32)
    supervisor_id: str | None = Field(
        default=None, foreign_key="employee.id", index=True, max_length=32
    )
    active: bool = True
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class EmployeePlacement(Base, table=True):
    """One stint of an employee in a unit/position/supervisor; moves close one, open another."""

    __tablename__ = "employee_placement"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    employee_id: str = Field(foreign_key="employee.id", index=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", max_length=32)
    position: str = Field(max_length=200)
    supervisor_id: str | None = Field(default=None, max_length=32)
    started_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )
    ended_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))


class Period(Base, table=True):
    """An appraisal period: annual, quarterly or monthly."""

    __tablename__ = "period"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    key: str = Field(max_length=10, unique=True)
    kind: str = Field(max_length=10, index=True)
    year: int = Field(index=True)
    starts_on: date
    ends_on: date
    state: str = Field(max_length=20)
    opened_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UtcDateTime(), nullable=True))


class OrganisationPredikatRecord(Base, table=True):
    """The organisation predikat BKPSDM set for a unit in a period."""

    __tablename__ = "organisation_predikat"
    __table_args__ = (UniqueConstraint("unit_id", "period_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", max_length=32)
    period_id: str = Field(foreign_key="period.id", max_length=32)
    predikat: str = Field(max_length=20)
    set_by: str = Field(max_length=100)
    set_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class Skp(Base, table=True):
    """One version of an employee's SKP plan for a year."""

    __tablename__ = "skp"
    __table_args__ = (UniqueConstraint("employee_id", "year", "version"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    employee_id: str = Field(foreign_key="employee.id", index=True, max_length=32)
    year: int
    version: int = 1
    state: str = Field(max_length=20)
    return_comments: str | None = None
    submitted_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    approved_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    approved_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class Rhk(Base, table=True):
    """A Rencana Hasil Kerja item of an SKP version."""

    __tablename__ = "rhk"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    skp_id: str = Field(foreign_key="skp.id", index=True, max_length=32)
    position: int
    description: str = Field(max_length=1000)
    kind: str = Field(max_length=10)
    intervened_rhk_id: str | None = Field(default=None, max_length=32)


class Indicator(Base, table=True):
    """An IKI (Indikator Kinerja Individu) of an RHK, with its target on one aspect."""

    __tablename__ = "indicator"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    rhk_id: str = Field(foreign_key="rhk.id", index=True, max_length=32)
    skp_id: str = Field(foreign_key="skp.id", index=True, max_length=32)
    position: int
    description: str = Field(max_length=1000)
    targets: dict[str, str] = Field(default_factory=dict, sa_column=Column(JSON))


class Realisation(Base, table=True):
    """What an employee achieved on an indicator in a period, with evidence."""

    __tablename__ = "realisation"
    __table_args__ = (UniqueConstraint("indicator_id", "period_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    indicator_id: str = Field(foreign_key="indicator.id", max_length=32)
    employee_id: str = Field(foreign_key="employee.id", index=True, max_length=32)
    period_id: str = Field(foreign_key="period.id", index=True, max_length=32)
    value: str = Field(max_length=200)
    note: str | None = Field(default=None, max_length=2000)
    evidence: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class FeedbackNote(Base, table=True):
    """A continuous-feedback note from a supervisor to an employee."""

    __tablename__ = "feedback_note"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    employee_id: str = Field(foreign_key="employee.id", index=True, max_length=32)
    author_id: str = Field(max_length=32)
    period_id: str | None = Field(default=None, max_length=32)
    text: str = Field(max_length=4000)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class CitizenFeedbackSummary(Base, table=True):
    """The reporting service's citizen feedback summary of an employee for a period."""

    __tablename__ = "citizen_feedback_summary"
    employee_id: str = Field(primary_key=True, max_length=64)
    period_key: str = Field(primary_key=True, max_length=10)
    responses: int
    minimum_responses: int
    sufficient: bool
    u6_mean: str | None = Field(default=None, max_length=20)
    u7_mean: str | None = Field(default=None, max_length=20)
    overall_rating_mean: str | None = Field(default=None, max_length=20)
    satisfaction_index: str | None = Field(default=None, max_length=20)
    computed_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


class Assessment(Base, table=True):
    """The appraisal of one employee for one period (draft until the unit is finalised)."""

    __tablename__ = "assessment"
    __table_args__ = (UniqueConstraint("employee_id", "period_id"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    employee_id: str = Field(foreign_key="employee.id", index=True, max_length=32)
    period_id: str = Field(foreign_key="period.id", index=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=32)
    appraiser_id: str = Field(max_length=32)
    state: str = Field(max_length=20)
    is_unit_head: bool = False
    hasil: str = Field(max_length=10)
    hasil_note: str | None = Field(default=None, max_length=4000)
    perilaku: str = Field(max_length=10)
    perilaku_values: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON))
    rhk_ratings: dict[str, str] | None = Field(default=None, sa_column=Column(JSON))
    predikat: str = Field(max_length=20)
    proposed_predikat: str | None = Field(default=None, max_length=20)
    final_hasil: str | None = Field(default=None, max_length=10)
    final_perilaku: str | None = Field(default=None, max_length=10)
    final_predikat: str | None = Field(default=None, max_length=20)
    snapshot: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    change_seq: int | None = Field(default=None, index=True)
    finalized_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    acknowledged_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class AssessmentVersion(Base, table=True):
    """A version of a final result: 1 is the original, 2 an objection decision's change."""

    __tablename__ = "assessment_version"
    __table_args__ = (UniqueConstraint("assessment_id", "version"),)
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    assessment_id: str = Field(foreign_key="assessment.id", index=True, max_length=32)
    version: int
    hasil: str = Field(max_length=10)
    perilaku: str = Field(max_length=10)
    predikat: str = Field(max_length=20)
    reason: str = Field(max_length=4000)
    decided_by: str = Field(max_length=100)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class Objection(Base, table=True):
    """An objection (keberatan) to a final assessment, decided by the reviewer."""

    __tablename__ = "objection"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    assessment_id: str = Field(foreign_key="assessment.id", unique=True, max_length=32)
    employee_id: str = Field(max_length=32, index=True)
    reviewer_id: str = Field(max_length=32, index=True)
    reasons: str = Field(max_length=4000)
    state: str = Field(max_length=10)
    decision_reasons: str | None = Field(default=None, max_length=4000)
    appraiser_statement: str | None = Field(default=None, max_length=4000)
    filed_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )
    decided_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    appraiser_statement_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    #: Until when the appraiser may give a statement before the reviewer decides without one.
    statement_due_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )
    #: When the reviewer decided without a statement, the appraiser's time having run out.
    appraiser_no_answer_at: datetime | None = Field(
        default=None, sa_column=Column(UtcDateTime(), nullable=True)
    )


class CurveException(Base, table=True):
    """A unit's final distribution that breaks the kurva, with who allowed it and why.

    Kinds: `objection_decision` (a reviewer's final decision changed a result) and
    `bkpsdm_override` (BKPSDM finalised a unit whose curve cannot be kept or that is small).
    """

    __tablename__ = "curve_exception"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    unit_id: str = Field(foreign_key="unit.id", index=True, max_length=32)
    period_id: str = Field(foreign_key="period.id", index=True, max_length=32)
    kind: str = Field(max_length=20)
    objection_id: str | None = Field(default=None, foreign_key="objection.id", max_length=32)
    organisation_predikat: str = Field(max_length=20)
    employees: int
    curve_possible: bool
    violations: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    reason: str = Field(max_length=4000)
    recorded_by: str = Field(max_length=100)
    recorded_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class DevelopmentPlan(Base, table=True):
    """A development plan opened after a predikat of Butuh Perbaikan or lower."""

    __tablename__ = "development_plan"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    employee_id: str = Field(foreign_key="employee.id", index=True, max_length=32)
    assessment_id: str = Field(foreign_key="assessment.id", max_length=32)
    predikat: str = Field(max_length=20)
    areas: list[str] = Field(default_factory=list, sa_column=Column(JSON))
    trainings: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSON))
    due_on: date
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False)
    )


class AuditEntry(Base, table=True):
    """Who changed what, when, with the state before and after (same transaction)."""

    __tablename__ = "audit_entry"
    id: str = Field(default_factory=new_id, primary_key=True, max_length=32)
    at: datetime = Field(default_factory=utcnow, sa_column=Column(UtcDateTime(), nullable=False))
    actor: str = Field(max_length=100)
    action: str = Field(max_length=60)
    entity_type: str = Field(max_length=40)
    entity_id: str = Field(max_length=32, index=True)
    assessment_id: str | None = Field(default=None, max_length=32, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON))


class ChangeCounter(Base, table=True):
    """Monotonic counters, incremented under a row lock (the pull API's cursor)."""

    __tablename__ = "change_counter"
    name: str = Field(primary_key=True, max_length=40)
    value: int = 0


class SentReminder(Base, table=True):
    """A deadline reminder already published: one row per kind, subject and deadline, written
    with the event, so a second scan (another replica, a restart) publishes nothing."""

    __tablename__ = "sent_reminder"
    kind: str = Field(primary_key=True, max_length=40)
    subject_id: str = Field(primary_key=True, max_length=32)
    deadline: date = Field(primary_key=True)
    sent_at: datetime = Field(sa_column=Column(UtcDateTime(), nullable=False))


metadata = Base.metadata
messaging_tables(metadata)
