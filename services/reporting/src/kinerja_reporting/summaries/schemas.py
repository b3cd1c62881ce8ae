"""Response models of employee feedback summaries."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel, Field


class FeedbackSummaryPublic(BaseModel):
    """Citizen feedback on one employee for a period; numbers only from the minimum on."""

    employee_id: str
    period_key: str
    responses: int
    minimum_responses: int
    sufficient: bool
    u6_mean: Decimal | None = Field(description="Kompetensi pelaksana, mean 1-4")
    u7_mean: Decimal | None = Field(description="Perilaku pelaksana, mean 1-4")
    overall_rating_mean: Decimal | None = Field(description="Mean overall rating 1-5")
    satisfaction_index: Decimal | None = Field(description="IKM-style index 25-100")
