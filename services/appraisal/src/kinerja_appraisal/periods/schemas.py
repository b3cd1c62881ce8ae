"""Request and response models of periods."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kinerja_shared.law.predikat import PredikatOrganisasiValue
from kinerja_shared.schemas import RequestModel

PeriodKindName = Literal["annual", "quarterly", "monthly"]


class PeriodCreate(RequestModel):
    """A new period: the year, and the quarter (1-4) or month (1-12) unless annual.

    The dates default to the calendar span of the key; they may be narrowed within it.
    """

    kind: PeriodKindName
    year: int = Field(ge=2000, le=2100)
    number: int | None = Field(default=None, ge=1, le=12, description="Quarter or month")
    starts_on: date | None = None
    ends_on: date | None = None


class PeriodPublic(BaseModel):
    """A period as the API shows it."""

    id: str
    key: str
    kind: str
    year: int
    starts_on: date
    ends_on: date
    state: str
    opened_at: datetime | None
    closed_at: datetime | None


class OrganisationPredikatSet(RequestModel):
    """The organisation predikat BKPSDM gives a unit for a period."""

    predikat: PredikatOrganisasiValue


class OrganisationPredikatPublic(BaseModel):
    """A unit's organisation predikat for a period."""

    unit_id: str
    period_id: str
    predikat: str
    set_by: str
    set_at: datetime
