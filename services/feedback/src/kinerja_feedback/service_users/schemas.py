"""Request and response models of the service-user counts units report."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from kinerja_shared.schemas import RequestModel

PeriodKey = Annotated[str, StringConstraints(pattern=r"^\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?$")]


class ServiceUsersIn(RequestModel):
    """How many citizens a unit served in a period (2026, 2026-Q1 or 2026-03)."""

    unit_id: Annotated[str, StringConstraints(min_length=1, max_length=64)]
    period_key: PeriodKey
    service_users: int = Field(ge=0, le=100_000_000, strict=True)


class ServiceUsersOut(BaseModel):
    """A stored report."""

    unit_id: str
    period_key: str
    service_users: int
    reported_at: datetime
