"""Settings of the feedback service (FEEDBACK_* environment variables)."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated, ClassVar, Literal

from cryptography.fernet import Fernet
from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from kinerja_feedback.domain.attribution import AttributionPolicy
from kinerja_feedback.domain.complaint import DeadlinePolicy
from kinerja_feedback.domain.holiday_list import REGION_PATTERN
from kinerja_shared.environment import DevelopmentCredential, Environment
from kinerja_shared.settings import ServiceSettings

#: Development-only keys; production refuses to start with them.
DEV_CONTACT_KEY = "a2luZXJqYS1kZXYtY29udGFjdC1rZXktMzItYnl0ZXM="
DEV_HASH_KEY = "kinerja-dev-device-hash-key"


class FeedbackSettings(ServiceSettings):
    """Settings of the feedback service; local policies carry their documented defaults."""

    service_name: ClassVar[str] = "feedback"
    default_port: ClassVar[int] = 8002

    model_config = SettingsConfigDict(env_prefix="FEEDBACK_", extra="ignore", populate_by_name=True)

    contact_keys: Annotated[
        SecretStr, DevelopmentCredential(hint="Fernet.generate_key(); docs/deploy.md")
    ] = Field(
        default=SecretStr(DEV_CONTACT_KEY),
        validation_alias=AliasChoices("FEEDBACK_CONTACT_KEYS", "FEEDBACK_CONTACT_KEY"),
        description="Fernet keys (urlsafe base64, 32 bytes), comma-separated, encrypting "
        "contact details, original comments and tracking codes at rest: the first encrypts, "
        "every one decrypts (rotation: `kinerja-feedback reencrypt`).",
    )
    hash_key: Annotated[SecretStr, DevelopmentCredential(hint="32 random bytes")] = Field(
        default=SecretStr(DEV_HASH_KEY),
        description="HMAC key for device ids and client addresses, never stored raw.",
    )
    device_rate_limit: int = Field(default=20, ge=1, description="Submissions per device/window.")
    device_rate_window_seconds: int = Field(default=3600, ge=1)
    address_rate_limit: int = Field(default=60, ge=1, description="Submissions per address/window.")
    address_rate_window_seconds: int = Field(default=3600, ge=1)
    burst_threshold: int = Field(
        default=10,
        ge=1,
        description="Submissions from one address within the burst window, this one "
        "included, from which a submission is held as suspicious (10: the 10th).",
    )
    burst_window_seconds: int = Field(default=600, ge=1)
    staff_source_window_days: int = Field(
        default=30, ge=1, description="Window of the per-source limits for one staff member."
    )
    staff_per_address: int = Field(
        default=1, ge=1, description="Scores for one staff member per client address/window."
    )
    staff_per_device: int = Field(
        default=1, ge=1, description="Scores for one staff member per device/window."
    )
    staff_per_network: int = Field(
        default=3, ge=1, description="Scores for one staff member per network (/24, /48)/window."
    )
    staff_burst_window_hours: int = Field(
        default=24, ge=1, description="Window in which low scores for one person form a burst."
    )
    staff_burst_minimum: int = Field(
        default=3, ge=1, description="Low scores per burst window that always count."
    )
    staff_burst_factor: float = Field(
        default=3.0, ge=1.0, description="Allowed multiple of the person's usual low scores."
    )
    staff_history_days: int = Field(
        default=90, ge=2, description="History the usual number of low scores is taken from."
    )
    staff_low_rating_max: int = Field(
        default=2, ge=1, le=5, description="An overall rating at most this is a low score."
    )
    staff_low_score_max: float = Field(
        default=2.0, ge=1.0, le=4.0, description="SKM answers averaging at most this are low."
    )
    tracking_failure_limit: int = Field(
        default=10, ge=1, description="Failed tracking-code look-ups per address/window."
    )
    tracking_failure_window_seconds: int = Field(default=3600, ge=1)
    public_coordinate_decimals: int = Field(
        default=2,
        ge=0,
        le=4,
        description="Decimals of a citizen's coordinates in public listings (2: about 1 km).",
    )
    visit_max_age_days: int = Field(default=90, ge=1, description="Oldest visit date accepted.")
    comment_max_length: int = Field(default=2000, ge=1)
    contact_max_length: int = Field(default=200, ge=1)
    abusive_words: list[str] | None = Field(
        default=None, description="Replaces the default abusive word list of domain.redaction."
    )
    holidays: list[date] = Field(
        default_factory=list,
        description="Extra days off skipped when counting working days, on top of the loaded "
        "holiday calendar (e.g. a day the city declares off).",
    )
    complaint_working_weekdays: list[int] = Field(
        default_factory=lambda: [1, 2, 3, 4, 5],
        description="ISO weekdays (Monday = 1 ... Sunday = 7) counted as working days by the "
        "complaint deadlines; docs/domain.md, complaints.",
    )
    complaint_holiday_regions: list[str] = Field(
        default_factory=lambda: ["ID", "ID-BA"],
        description="Regions of the loaded holiday calendar whose days the complaint deadlines "
        "skip: ID (national holidays and cuti bersama), ID-BA (Bali's provincial holidays).",
    )
    complaint_resolution_counting: Literal["working_days", "calendar_days"] = Field(
        default="working_days",
        description="Whether the 5/14/60 days of a complaint's resolution count working days or "
        "calendar days (verification and first response always count working days).",
    )
    reminder_scan_seconds: float = Field(
        default=300,
        ge=0,
        description="How often the complaint deadline reminders are looked for (0: never); the "
        "first scan runs one interval after start.",
    )
    complaint_reminder_working_days: int = Field(
        default=1,
        ge=0,
        description="Remind of a complaint's first response or resolution still owed when at "
        "most this many working days are left before its due date (0: on the day itself).",
    )
    reference_cache_seconds: float = Field(
        default=5.0,
        ge=0,
        description="How long a process keeps service points and staff codes read for "
        "submissions; bounds how long another replica's change goes unseen (0: no cache).",
    )
    search_max_results: int = Field(default=50, ge=1)
    search_default_radius_km: float = Field(default=5.0, gt=0)
    consumer_group: str = Field(
        default="feedback", description="Consumer group reading kinerja.appraisal (tests vary it)."
    )
    seed_demo: bool = Field(default=False, description="Seed demo data in the background at start.")
    seed_demo_wait_seconds: float = Field(
        default=120.0, ge=0, description="How long the demo seed waits for the first unit."
    )
    seed_demo_poll_seconds: float = Field(
        default=1.0,
        gt=0,
        description="How often the demo seed looks for units that arrived without a point.",
    )
    seed_demo_submissions_per_point: int = Field(
        default=15, ge=0, description="Demo submissions made for each new demo service point."
    )

    @field_validator("complaint_working_weekdays")
    @classmethod
    def _iso_weekdays(cls, value: list[int]) -> list[int]:
        if not value:
            raise ValueError("name at least one working weekday")
        if any(not 1 <= day <= 7 for day in value) or len(set(value)) != len(value):
            raise ValueError("working weekdays are distinct ISO numbers, 1 (Monday) to 7 (Sunday)")
        return sorted(value)

    @field_validator("complaint_holiday_regions")
    @classmethod
    def _regions(cls, value: list[str]) -> list[str]:
        for region in value:
            if not REGION_PATTERN.match(region):
                raise ValueError(f"{region!r} is not an ISO 3166 code such as ID or ID-BA")
        return value

    def deadline_policy(self) -> DeadlinePolicy:
        """How the complaint deadlines are counted, from these settings."""
        return DeadlinePolicy(
            resolution_in_working_days=self.complaint_resolution_counting == "working_days"
        )

    @field_validator("contact_keys")
    @classmethod
    def _fernet_keys(cls, value: SecretStr) -> SecretStr:
        keys = contact_key_list(value)
        if not keys:
            raise ValueError("name at least one Fernet key")
        for number, key in enumerate(keys, start=1):
            try:
                Fernet(key.encode())
            except ValueError as exc:
                raise ValueError(f"key {number} is not a Fernet key: {exc}") from None
        if len(set(keys)) != len(keys):
            raise ValueError("a key is listed twice")
        return value

    @model_validator(mode="after")
    def _production_never_decrypts_with_the_development_key(self) -> FeedbackSettings:
        if (
            self.environment is Environment.PRODUCTION
            and DEV_CONTACT_KEY in self.contact_key_list()
        ):
            raise ValueError(
                "production must not list the development key in FEEDBACK_CONTACT_KEYS"
            )
        return self

    def contact_key_list(self) -> list[str]:
        """The contact keys, the one encrypting first."""
        return contact_key_list(self.contact_keys)

    def attribution_policy(self) -> AttributionPolicy:
        """The anti-stuffing policy of staff-attributed scores, from these settings."""
        return AttributionPolicy(
            source_window=timedelta(days=self.staff_source_window_days),
            per_address=self.staff_per_address,
            per_device=self.staff_per_device,
            per_network=self.staff_per_network,
            burst_window=timedelta(hours=self.staff_burst_window_hours),
            burst_minimum=self.staff_burst_minimum,
            burst_factor=self.staff_burst_factor,
            history_window=timedelta(days=self.staff_history_days),
            low_rating_max=self.staff_low_rating_max,
            low_score_max=self.staff_low_score_max,
        )

    @model_validator(mode="after")
    def _history_longer_than_burst(self) -> FeedbackSettings:
        if timedelta(days=self.staff_history_days) <= timedelta(
            hours=self.staff_burst_window_hours
        ):
            raise ValueError("FEEDBACK_STAFF_HISTORY_DAYS must be longer than the burst window")
        return self


def contact_key_list(keys: SecretStr) -> list[str]:
    """The keys of a comma-separated FEEDBACK_CONTACT_KEYS, in order."""
    return [k.strip() for k in keys.get_secret_value().split(",") if k.strip()]
