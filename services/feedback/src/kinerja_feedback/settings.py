"""Settings of the feedback service (FEEDBACK_* environment variables)."""

from __future__ import annotations

from datetime import date
from typing import ClassVar

from pydantic import Field, SecretStr, model_validator
from pydantic_settings import SettingsConfigDict

from kinerja_shared.settings import ServiceSettings

#: Development-only keys; production refuses to start with them.
DEV_CONTACT_KEY = "a2luZXJqYS1kZXYtY29udGFjdC1rZXktMzItYnl0ZXM="
DEV_HASH_KEY = "kinerja-dev-device-hash-key"


class FeedbackSettings(ServiceSettings):
    """Settings of the feedback service; local policies carry their documented defaults."""

    service_name: ClassVar[str] = "feedback"
    default_port: ClassVar[int] = 8002

    model_config = SettingsConfigDict(env_prefix="FEEDBACK_", extra="ignore", populate_by_name=True)

    contact_key: SecretStr = Field(
        default=SecretStr(DEV_CONTACT_KEY),
        description="Fernet key (urlsafe base64, 32 bytes) encrypting contact details and "
        "original comments at rest (FEEDBACK_CONTACT_KEY).",
    )
    hash_key: SecretStr = Field(
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
        description="Submissions from one address within the burst window "
        "that flag the next ones as suspicious.",
    )
    burst_window_seconds: int = Field(default=600, ge=1)
    visit_max_age_days: int = Field(default=90, ge=1, description="Oldest visit date accepted.")
    comment_max_length: int = Field(default=2000, ge=1)
    contact_max_length: int = Field(default=200, ge=1)
    abusive_words: list[str] | None = Field(
        default=None, description="Replaces the default abusive word list of domain.redaction."
    )
    holidays: list[date] = Field(
        default_factory=list, description="Public holidays skipped when counting working days."
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
    seed_demo_wait_seconds: float = Field(default=120.0, ge=0)
    seed_demo_submissions: int = Field(default=300, ge=0)

    @model_validator(mode="after")
    def _production_needs_own_keys(self) -> FeedbackSettings:
        if self.environment == "production" and (
            self.contact_key.get_secret_value() == DEV_CONTACT_KEY
            or self.hash_key.get_secret_value() == DEV_HASH_KEY
        ):
            raise ValueError("production needs its own FEEDBACK_CONTACT_KEY and FEEDBACK_HASH_KEY")
        return self
