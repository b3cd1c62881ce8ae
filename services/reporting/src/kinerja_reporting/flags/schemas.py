"""Response models of improvement flags."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class UnitFlagPublic(BaseModel):
    """A unit's "needs improvement" flag for a period with the evidence behind it."""

    unit_id: str
    unit_name: str | None
    period_key: str
    active: bool
    ikm: str | None
    band: str | None
    respondents: int
    reasons: list[dict[str, Any]]
    changed_at: datetime
