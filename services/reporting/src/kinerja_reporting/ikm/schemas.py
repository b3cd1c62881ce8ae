"""Response models of the IKM reports."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field


class ElementNrrPublic(BaseModel):
    """NRR of one SKM element (unsur)."""

    element: str
    label: str
    answered: int
    score_sum: int
    nrr: Decimal = Field(description="Mean score 1-4, two decimals")


class SamplePublic(BaseModel):
    """Sample adequacy (Krejcie & Morgan) against the service users reported for the period.

    A unit with its subunits is judged against the service users of all of them: unknown
    while a unit with a service point or respondents has not reported. Service users are
    reported per unit, so a service point's sample is not assessable.
    """

    service_users: int | None = Field(
        description="N: service users reported (None: unknown or not assessable)"
    )
    required: int | None
    respondents: int
    state: Literal["adequate", "inadequate", "unknown", "not_assessable"]


class TrendPublic(BaseModel):
    """The IKM of the previous period of the same kind and the change since."""

    previous_period_key: str
    previous_ikm: Decimal | None
    previous_respondents: int
    change: Decimal | None = Field(description="IKM now minus IKM then, two decimals")


class IkmReport(BaseModel):
    """IKM of a service point or a unit (with its subunits) for a month, quarter or year.

    IKM = (sum of NRR x 1/k) x 25 over the k answered elements; with all nine answered the
    weight is the exact 1/9 (the regulation prints it rounded as 0,111) so a perfect score is
    100.00.
    """

    scope: Literal["service_point", "unit"]
    scope_id: str
    name: str | None
    period_key: str
    includes_subunits: bool
    units: list[str]
    respondents: int
    elements: list[ElementNrrPublic]
    missing_elements: list[str]
    weight: str | None = Field(description="Weight of each NRR, e.g. 1/9")
    ikm: Decimal | None
    band: str | None
    band_label: str | None
    sample: SamplePublic
    trend: TrendPublic


class TrendPoint(BaseModel):
    """IKM of one period in a series."""

    period_key: str
    respondents: int
    ikm: Decimal | None
    band: str | None


class IkmTrend(BaseModel):
    """IKM of a scope over consecutive periods of one kind, oldest first."""

    scope: Literal["service_point", "unit"]
    scope_id: str
    includes_subunits: bool
    points: list[TrendPoint]
