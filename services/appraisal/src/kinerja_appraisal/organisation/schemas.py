"""Request and response models of units and employees."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from kinerja_shared.schemas import RequestModel

UnitKind = Literal["dinas", "badan", "kecamatan", "kelurahan", "school", "other"]
EmployeeKindName = Literal["pns", "pppk"]
CODE_PATTERN = r"^[A-Za-z0-9._-]+$"


class UnitCreate(RequestModel):
    """A new unit of the organisation."""

    code: str = Field(min_length=1, max_length=40, pattern=CODE_PATTERN)
    name: str = Field(min_length=1, max_length=200)
    kind: UnitKind
    parent_id: str | None = Field(default=None, max_length=32)
    head_employee_id: str | None = Field(default=None, max_length=32)


class UnitUpdate(RequestModel):
    """Changes to a unit; only the fields sent are changed."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: UnitKind | None = None
    parent_id: str | None = Field(default=None, max_length=32)
    head_employee_id: str | None = Field(default=None, max_length=32)
    active: bool | None = None


class UnitPublic(BaseModel):
    """A unit as the API shows it."""

    id: str
    code: str
    name: str
    kind: str
    parent_id: str | None
    head_employee_id: str | None
    active: bool
    updated_at: datetime


class EmployeeCreate(RequestModel):
    """A new employee. `nip` is the PNS NIP or the PPPK number (18 digits)."""

    nip: str = Field(min_length=1, max_length=18)
    name: str = Field(min_length=1, max_length=200)
    kind: EmployeeKindName
    position: str = Field(min_length=1, max_length=200)
    unit_id: str = Field(max_length=32)
    supervisor_id: str | None = Field(default=None, max_length=32)


class EmployeeUpdate(RequestModel):
    """Changes to an employee; a new unit, position or supervisor is a move kept in history."""

    name: str | None = Field(default=None, min_length=1, max_length=200)
    position: str | None = Field(default=None, min_length=1, max_length=200)
    unit_id: str | None = Field(default=None, max_length=32)
    supervisor_id: str | None = Field(default=None, max_length=32)
    active: bool | None = None


class EmployeePublic(BaseModel):
    """An employee as the API shows it."""

    id: str
    nip: str
    staff_code: str
    name: str
    kind: str
    position: str
    unit_id: str
    supervisor_id: str | None
    active: bool
    updated_at: datetime


class PlacementPublic(BaseModel):
    """One stint of an employee in a unit and position."""

    unit_id: str
    position: str
    supervisor_id: str | None
    started_at: datetime
    ended_at: datetime | None
