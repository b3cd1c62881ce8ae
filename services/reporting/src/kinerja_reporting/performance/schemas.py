"""Response models of the performance views."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class ConstraintPublic(BaseModel):
    """One limit of the kurva distribusi and how the unit stands against it."""

    description: str
    count: int
    total: int
    share_percent: Decimal
    limit_count: int
    passed: bool
    employees_off: int
    explanation: str


class DistributionPublic(BaseModel):
    """Predikat distribution of a unit for a period against its organisation's curve."""

    unit_id: str
    period_key: str
    organisation_predikat: str | None
    counts: dict[str, int]
    total: int
    passed: bool | None
    constraints: list[ConstraintPublic]


class HistoryEntry(BaseModel):
    """One final assessment in an employee's history."""

    assessment_id: str
    period_key: str
    period_kind: str | None
    unit_id: str
    appraiser_id: str | None
    hasil: str | None
    perilaku: str | None
    predikat: str | None
    final_predikat: str
    objection: str | None


class EmployeeHistory(BaseModel):
    """An employee's final assessments across periods (objection decisions applied)."""

    employee_id: str
    entries: list[HistoryEntry]


class EmployeeFlag(BaseModel):
    """An employee listed by a local policy (award candidate or development need), by id and
    public staff code: the appraisal API gives the name to those allowed to read it."""

    employee_id: str
    staff_code: str | None = Field(description="Null until the employee's event has arrived")
    unit_id: str
    period_keys: list[str]
    predikat: list[str]
