"""Response models of employee feedback summaries."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Figure = Literal["u6_mean", "u7_mean", "overall_rating_mean", "satisfaction_index"]


class FeedbackSummaryPublic(BaseModel):
    """Citizen feedback on one employee for a period; each number only from the minimum
    answers to it on (docs/domain.md, reporting: citizen feedback summary per employee)."""

    employee_id: str
    period_key: str
    responses: int
    minimum_responses: int
    sufficient: bool = Field(description="The responses reach the minimum")
    u6_mean: Decimal | None = Field(description="Kompetensi pelaksana, mean 1-4")
    u6_answers: int = Field(description="Responses that answered U6")
    u7_mean: Decimal | None = Field(description="Perilaku pelaksana, mean 1-4")
    u7_answers: int = Field(description="Responses that answered U7")
    overall_rating_mean: Decimal | None = Field(description="Mean overall rating 1-5")
    overall_ratings: int = Field(description="Responses that gave an overall rating")
    satisfaction_index: Decimal | None = Field(
        description="IKM-style index 25-100 over the elements answered the minimum times"
    )
    too_few_answers: list[Figure] = Field(
        description="Figures held back (null) because fewer than the minimum answered them"
    )
