"""Request and response models of SKP plans."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, model_validator

from kinerja_shared.schemas import RequestModel

RhkKind = Literal["utama", "tambahan"]


class IndicatorIn(RequestModel):
    """An IKI: what is measured, with a target for one or more aspects."""

    description: str = Field(min_length=1, max_length=1000)
    targets: dict[Literal["kuantitas", "kualitas", "waktu"], str] = Field(
        description="Target per aspect, e.g. {'kuantitas': '12 laporan', 'waktu': '12 bulan'}"
    )

    @model_validator(mode="after")
    def _some_target(self) -> IndicatorIn:
        if not self.targets or not all(v.strip() for v in self.targets.values()):
            raise ValueError("an indicator needs a non-blank target for at least one aspect")
        if any(len(v) > 200 for v in self.targets.values()):
            raise ValueError("a target is at most 200 characters")
        return self


class RhkIn(RequestModel):
    """An RHK, optionally intervening (supporting) an RHK of the supervisor."""

    description: str = Field(min_length=1, max_length=1000)
    kind: RhkKind = "utama"
    intervened_rhk_id: str | None = Field(default=None, max_length=32)
    indicators: list[IndicatorIn] = Field(min_length=1, max_length=20)


class SkpCreate(RequestModel):
    """A new SKP plan of the calling employee for a year."""

    year: int = Field(ge=2000, le=2100)
    rhk: list[RhkIn] = Field(min_length=1, max_length=50)


class SkpUpdate(RequestModel):
    """The plan's RHK items, replacing the current ones (draft or returned plans only)."""

    rhk: list[RhkIn] = Field(min_length=1, max_length=50)


class SkpReturn(RequestModel):
    """Why the supervisor returns the plan."""

    comments: str = Field(min_length=1, max_length=4000)


class IndicatorPublic(BaseModel):
    """An IKI as the API shows it."""

    id: str
    position: int
    description: str
    targets: dict[str, str]


class RhkPublic(BaseModel):
    """An RHK as the API shows it."""

    id: str
    position: int
    description: str
    kind: str
    intervened_rhk_id: str | None
    indicators: list[IndicatorPublic]


class SkpPublic(BaseModel):
    """One version of an SKP plan."""

    id: str
    employee_id: str
    year: int
    version: int
    state: str
    return_comments: str | None
    submitted_at: datetime | None
    approved_at: datetime | None
    approved_by: str | None
    rhk: list[RhkPublic]
