"""Settings of the webhooks service (environment prefix WEBHOOKS_), local policies included."""

from __future__ import annotations

import ipaddress
from typing import Annotated, ClassVar

from cryptography.fernet import Fernet
from pydantic import Field, SecretStr, field_validator
from pydantic_settings import SettingsConfigDict

from kinerja_shared.environment import DevelopmentCredential
from kinerja_shared.settings import ServiceSettings

#: The development key encrypting subscriptions' signing secrets at rest; production refuses
#: it (`kinerja-webhooks secret-key` prints a new one).
DEV_SECRET_KEY = "a2luZXJqYS1kZXYtd2ViaG9va3Mtc2VjcmV0LWtleTE="  # noqa: S105


class WebhooksSettings(ServiceSettings):
    """Where the webhooks service runs and how it delivers (docs/domain.md, Webhooks)."""

    service_name: ClassVar[str] = "webhooks"
    default_port: ClassVar[int] = 8004

    model_config = SettingsConfigDict(env_prefix="WEBHOOKS_", extra="ignore", populate_by_name=True)

    consumer_group: str = Field(
        default="webhooks",
        description="Consumer group reading kinerja.appraisal, .feedback and .reporting.",
    )
    secret_keys: Annotated[
        SecretStr,
        DevelopmentCredential(hint="a Fernet key of `kinerja-webhooks secret-key`"),
    ] = Field(
        default=SecretStr(DEV_SECRET_KEY),
        description="Fernet keys (comma-separated, newest first) encrypting the signing "
        "secrets at rest; an older key listed after the new one still decrypts.",
    )
    retry_first_seconds: float = Field(
        default=5.0, gt=0, description="Wait before the second attempt of a delivery."
    )
    retry_longest_seconds: float = Field(
        default=3600.0,
        gt=0,
        description="Longest wait between attempts (the wait doubles up to this, with jitter).",
    )
    retry_horizon_seconds: float = Field(
        default=86_400.0,
        ge=0,
        description="Local policy: how long a delivery is retried from its first attempt "
        "before it is dead-lettered (default 24 h).",
    )
    pause_after_failing_seconds: float = Field(
        default=86_400.0,
        ge=0,
        description="Local policy: a subscription whose deliveries have failed without one "
        "success for this long is paused automatically, with the reason (default 24 h).",
    )
    max_subscriptions_per_client: int = Field(
        default=20,
        ge=1,
        description="Local policy: how many subscriptions one OAuth2 client may hold (each is "
        "one more delivery of every event it matches); one more is refused with 409.",
    )
    delivery_timeout_seconds: float = Field(
        default=10.0, gt=0, description="Time a receiver has to answer a delivery."
    )
    delivery_batch: int = Field(
        default=32, ge=1, description="Deliveries one worker claims and sends at once."
    )
    delivery_poll_seconds: float = Field(
        default=1.0, gt=0, description="How often an idle worker looks for deliveries due."
    )
    delivery_lease_seconds: float = Field(
        default=60.0,
        gt=0,
        description="How long a claimed delivery is left to its worker before another may "
        "take it (a worker that died); longer than delivery_timeout_seconds.",
    )
    allowed_target_networks: list[str] = Field(
        default_factory=list,
        description="Local policy: networks (CIDRs) of the city's own systems a target may "
        "resolve to in production although they are private (e.g. 10.20.0.0/16).",
    )
    delivery_retention_days: int = Field(
        default=30,
        ge=1,
        le=3650,
        description="Local policy: how long a delivered or dead delivery is kept (listed, "
        "redeliverable) after its last attempt; a pending one is kept until it is settled.",
    )
    retention_scan_seconds: float = Field(
        default=3600.0,
        ge=0,
        description="How often deliveries past their retention are removed; 0: never.",
    )
    run_delivery: bool = Field(default=True, description="Run the delivery worker loop.")
    page_size_max: int = Field(default=500, ge=1, description="Largest page of a list.")

    @field_validator("allowed_target_networks")
    @classmethod
    def _networks(cls, value: list[str]) -> list[str]:
        for cidr in value:
            ipaddress.ip_network(cidr, strict=False)  # ValueError names the bad one
        return value

    @field_validator("secret_keys")
    @classmethod
    def _fernet_keys(cls, value: SecretStr) -> SecretStr:
        for key in value.get_secret_value().split(","):
            Fernet(key.strip().encode())  # ValueError: not a Fernet key
        return value

    def secret_key_list(self) -> list[str]:
        """The Fernet keys, newest first."""
        return [k.strip() for k in self.secret_keys.get_secret_value().split(",") if k.strip()]

    def allowed_networks(self) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
        """The allow-list as networks."""
        return [ipaddress.ip_network(c, strict=False) for c in self.allowed_target_networks]
