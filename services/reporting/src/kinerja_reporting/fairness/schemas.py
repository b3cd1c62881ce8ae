"""Response models of the fairness view."""

from __future__ import annotations

from decimal import Decimal

from pydantic import BaseModel


class ShareComparisonPublic(BaseModel):
    """A share among the appraiser's ratings next to the same share in the unit."""

    appraiser_count: int
    appraiser_total: int
    appraiser_percent: Decimal
    unit_count: int
    unit_total: int
    unit_percent: Decimal
    difference_points: Decimal


class FairnessFlagPublic(BaseModel):
    """A rating pattern worth a second look, with the numbers behind it."""

    code: str
    explanation: str
    rated_staff: int
    share_percent: Decimal | None
    threshold_percent: int | None
    scored_staff: int | None
    staff_median: Decimal | None
    unit_scored_staff: int | None
    unit_median: Decimal | None


class AppraiserFairness(BaseModel):
    """One appraiser's ratings in a period against the unit's and against citizen feedback."""

    appraiser_id: str
    period_key: str
    unit_ids: list[str]
    rated_staff: int
    appraiser_counts: dict[str, int]
    unit_counts: dict[str, int]
    sangat_baik: ShareComparisonPublic
    baik_or_better: ShareComparisonPublic
    scored_staff: int
    staff_median: Decimal | None
    unit_scored_staff: int
    unit_median: Decimal | None
    flags: list[FairnessFlagPublic]
