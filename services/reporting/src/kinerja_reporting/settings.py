"""Settings of the reporting service (environment prefix REPORTING_), local policies included."""

from __future__ import annotations

from decimal import Decimal
from typing import ClassVar

from pydantic import Field
from pydantic_settings import SettingsConfigDict

from kinerja_shared.awards import DEFAULT_AWARD_CONSECUTIVE_YEARS
from kinerja_shared.settings import ServiceSettings


class ReportingSettings(ServiceSettings):
    """Where the reporting service runs and the local policies (docs/domain.md, Reporting) it
    applies."""

    service_name: ClassVar[str] = "reporting"
    default_port: ClassVar[int] = 8003

    model_config = SettingsConfigDict(
        env_prefix="REPORTING_", extra="ignore", populate_by_name=True
    )

    consumer_group: str = Field(
        default="reporting", description="Consumer group reading kinerja.appraisal and .feedback."
    )
    minimum_responses: int = Field(
        default=5,
        ge=1,
        description="Local policy: responses an employee needs before a feedback summary "
        "shows anything, and answers each of its means and index elements needs "
        "(docs/domain.md, Citizen feedback summary per employee; default 5).",
    )
    improvement_drop_threshold: Decimal = Field(
        default=Decimal(5),
        gt=0,
        description="Local policy: an IKM fall of this many points or more against the "
        "previous period, with adequate samples in both, flags a unit (default 5).",
    )
    improvement_bands: list[str] = Field(
        default_factory=lambda: ["C", "D"],
        description="Local policy: IKM quality bands that flag a unit (default C and D).",
    )
    fairness_generous_share_percent: int = Field(
        default=80,
        ge=0,
        le=100,
        description="Sangat Baik share that makes an appraiser "
        "'generous' when the staff's citizen scores sit below the unit median (default 80).",
    )
    fairness_harsh_share_percent: int = Field(
        default=80,
        ge=0,
        le=100,
        description="Below-Baik share that makes an appraiser "
        "'harsh' when the staff's citizen scores sit above the unit median (default 80).",
    )
    fairness_uniform_minimum_staff: int = Field(
        default=5, ge=1, description="Rated staff from which identical ratings are flagged."
    )
    fairness_minimum_scored_staff: int = Field(
        default=1, ge=1, description="Staff with citizen scores needed for the citizen flags."
    )
    award_consecutive_annual_periods: int = Field(
        default=DEFAULT_AWARD_CONSECUTIVE_YEARS,
        ge=1,
        description="Local policy (kinerja_shared.awards): award candidates have an annual "
        "Sangat Baik in this many consecutive calendar years up to the latest annual period "
        "(default 2; keep equal to appraisal's policy.award_required_years).",
    )
    development_predikat: list[str] = Field(
        default_factory=lambda: ["butuh_perbaikan", "kurang", "sangat_kurang"],
        description="Local policy: predikat that open a development need (Butuh Perbaikan "
        "or lower).",
    )
    public_cache_max_age_seconds: int = Field(
        default=300,
        ge=0,
        le=86_400,
        description="Local policy: how long browsers and proxies may reuse a published IKM "
        "result or follow-up plan without asking again (Cache-Control max-age, default 300).",
    )
    page_size_max: int = Field(default=500, ge=1, description="Largest page of a JSON list.")
