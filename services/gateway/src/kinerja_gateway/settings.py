"""Gateway settings, read from `GATEWAY_*` environment variables (complex values as JSON).

Examples: `GATEWAY_APPRAISAL_URL=http://appraisal:8001` (or several instances of a service,
comma-separated: `GATEWAY_FEEDBACK_URL=http://feedback-1:8002,http://feedback-2:8002`), `GATEWAY_CORS_ORIGINS='["https://app.x"]'`,
`GATEWAY_ROUTE_TIMEOUTS='{"/api/v1/reporting/exports": 60}'`,
`GATEWAY_OAUTH_CLIENTS='{"simpeg": {"secret_hash": "pbkdf2_sha256$...",
"scopes": ["appraisal:read"]}}'` (make a hash with `kinerja-gateway hash-secret`),
`GATEWAY_APP_KEYS='{"mobile": "<sha256 hex>"}'`.
"""

from __future__ import annotations

import ipaddress
from string import Formatter
from typing import Annotated, ClassVar

from pydantic import BaseModel, Field, SecretStr, field_validator, model_validator
from pydantic_settings import SettingsConfigDict

from kinerja_gateway.secrets_hashing import PBKDF2_HASH_PATTERN
from kinerja_shared.environment import DevelopmentCredential, Environment
from kinerja_shared.gateway_keys import key_id, load_private_key
from kinerja_shared.settings import (
    DEV_GATEWAY_KEY_ID,
    DEV_GATEWAY_PRIVATE_KEY,
    DEV_TOKEN_PRIVATE_KEY,
    ServiceSettings,
)
from kinerja_shared.token_keys import TokenSigner

#: The development app key (its SHA-256 is registered by default as `mobile-dev`).
DEV_APP_KEY = "kinerja-dev-app-key"
DEV_APP_KEY_DIGEST = "a1fc5deb3fdc4f96c7617eee9a3076684e7514a2fd59593de11fbf4c60c12ce6"
#: The development OAuth2 client `dev-hr-system` and its secret.
DEV_CLIENT_ID = "dev-hr-system"
DEV_CLIENT_SECRET = "kinerja-dev-client-secret"  # noqa: S105
_DEV_DIGEST = "c72056660d1c24120e87263b92fe5fdc651040dc5f6fa7f16d87322aa3491cad"
DEV_CLIENT_SECRET_HASH = f"pbkdf2_sha256$200000$kinerja-dev-salt${_DEV_DIGEST}"


class RateLimit(BaseModel):
    """A token bucket: `burst` requests at once, refilled at `per_minute`."""

    per_minute: float = Field(gt=0)
    burst: int = Field(ge=1)


class OAuthClient(BaseModel):
    """A registered system allowed the client-credentials grant."""

    secret_hash: str = Field(
        pattern=PBKDF2_HASH_PATTERN,
        description="pbkdf2_sha256$<iterations>$<salt>$<hex> (`kinerja-gateway hash-secret`)",
    )
    scopes: list[str] = Field(default_factory=list, description="Scopes it may be granted.")
    description: str = ""


def _dev_clients() -> dict[str, OAuthClient]:
    return {
        DEV_CLIENT_ID: OAuthClient(
            secret_hash=DEV_CLIENT_SECRET_HASH,
            scopes=["appraisal:read", "reports:read", "feedback:read", "webhooks:manage"],
            description="Development HR system (never registered in production)",
        )
    }


def _default_employee_parts() -> dict[str, str]:
    return {
        "plans": "appraisal:/api/v1/appraisal/skps?employee_id={employee_id}&year={year}",
        "assessments": "appraisal:/api/v1/appraisal/assessments?employee_id={employee_id}&limit=5",
        "open_objections": (
            "appraisal:/api/v1/appraisal/objections?employee_id={employee_id}&state=filed"
        ),
        "feedback_summary": (
            "reporting:/api/v1/reporting/summaries/employees/{employee_id}?period={period}"
        ),
    }


def _default_unit_parts() -> dict[str, str]:
    return {
        "ikm_trend": "reporting:/api/v1/reporting/ikm/units/{unit_id}/trend?period={period}",
        "flags": "reporting:/api/v1/reporting/flags?unit_id={unit_id}&period={period}",
        "predikat_distribution": (
            "reporting:/api/v1/reporting/performance/units/{unit_id}/distribution?period={period}"
        ),
    }


class GatewaySettings(ServiceSettings):
    """Everything the gateway needs; it keeps no database and no Kafka client."""

    service_name: ClassVar[str] = "gateway"
    default_port: ClassVar[int] = 8000

    model_config = SettingsConfigDict(env_prefix="GATEWAY_", extra="ignore", populate_by_name=True)

    # Upstreams: one base URL per service, or several instances of it, comma-separated
    # (requests go round-robin; each instance has its own pool and circuit breaker).
    appraisal_url: str = "http://127.0.0.1:8001"
    feedback_url: str = "http://127.0.0.1:8002"
    reporting_url: str = "http://127.0.0.1:8003"
    webhooks_url: str = "http://127.0.0.1:8004"
    pool_max_connections: int = Field(default=100, ge=1)
    pool_max_keepalive: int = Field(default=20, ge=0)
    keepalive_expiry_seconds: float = Field(
        default=30.0,
        ge=0,
        description="How long an idle upstream connection is kept for reuse; below the "
        "services' KINERJA_SERVER_KEEPALIVE_SECONDS, so the pool lets a connection go before "
        "the service closes it.",
    )

    # Timeouts
    connect_timeout_seconds: float = Field(default=2.0, gt=0)
    default_timeout_seconds: float = Field(
        default=15.0, gt=0, description="Time for an upstream to start its response."
    )
    route_timeouts: dict[str, float] = Field(
        default_factory=dict,
        description="Path prefix -> seconds; the longest matching prefix wins.",
    )

    # Protection
    max_body_bytes: int = Field(default=1_048_576, ge=0, description="Request body limit (413).")
    body_limits: dict[str, int] = Field(
        default_factory=lambda: {"/api/v1/appraisal/imports/": 4 * 1_048_576},
        description="Path prefix -> body limit in bytes, in place of max_body_bytes (the "
        "longest matching prefix wins); the default lets an import reach the appraisal "
        "service's own APPRAISAL_MAX_IMPORT_BYTES.",
    )
    client_rate_limit: RateLimit = Field(
        default_factory=lambda: RateLimit(per_minute=600, burst=100),
        description="Per token subject / OAuth2 client.",
    )
    app_key_rate_limit: RateLimit = Field(
        default_factory=lambda: RateLimit(per_minute=600, burst=100),
        description="Anonymous callers, per registered app key and caller address "
        "(IPv6 per /64): busy addresses cannot use up the app's share of other citizens.",
    )
    address_rate_limit: RateLimit = Field(
        default_factory=lambda: RateLimit(per_minute=1200, burst=200),
        description="Per caller address (IPv6 per /64), seen through trusted proxies.",
    )
    rate_limit_max_tracked: int = Field(default=100_000, ge=10)
    trusted_proxies: list[str] = Field(
        default_factory=list,
        description="Load balancers (IPs or CIDRs) whose X-Forwarded-For names the caller.",
    )
    cors_origins: list[str] = Field(default_factory=list)
    behind_tls: bool = Field(default=False, description="Send HSTS (only when served over TLS).")
    hsts_max_age_seconds: int = 31_536_000

    # Credentials
    app_keys: Annotated[dict[str, str], DevelopmentCredential(hint='{"<app>": "<sha256 hex>"}')] = (
        Field(
            default_factory=lambda: {"mobile-dev": DEV_APP_KEY_DIGEST},
            description="App name -> SHA-256 hex digest of its X-App-Key.",
        )
    )
    oauth_clients: Annotated[
        dict[str, OAuthClient],
        DevelopmentCredential(hint="{} when no system uses the token endpoint"),
    ] = Field(default_factory=_dev_clients)
    token_ttl_seconds: int = Field(
        default=3600, ge=60, description="Lifetime of the token endpoint's tokens."
    )
    token_signing_key: Annotated[SecretStr | None, DevelopmentCredential(required=False)] = Field(
        default=SecretStr(DEV_TOKEN_PRIVATE_KEY),
        description="Private key (PEM: Ed25519, RSA >= 2048 bits or EC P-256+) the token "
        "endpoint signs with; its public key must be in the JWKS tokens are verified with. "
        "Production: no token endpoint unless set.",
    )
    assertion_private_key: Annotated[
        SecretStr, DevelopmentCredential(hint="the private key of `kinerja-gateway assertion-keys`")
    ] = Field(
        default=SecretStr(DEV_GATEWAY_PRIVATE_KEY),
        description="Ed25519 private key (PEM) signing the assertion sent with every upstream "
        "request; its public key must be in KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS.",
    )
    assertion_ttl_seconds: float = Field(
        default=30.0, gt=0, le=300, description="Lifetime of a gateway assertion."
    )

    # Failure behaviour
    breaker_failure_threshold: int = Field(default=5, ge=1)
    breaker_cooldown_seconds: float = Field(default=30.0, gt=0)
    readiness_timeout_seconds: float = Field(default=2.0, gt=0)

    # Merged OpenAPI
    openapi_cache_seconds: float = Field(default=30.0, ge=0)
    openapi_fetch_timeout_seconds: float = Field(default=3.0, gt=0)

    # Composite views: part name -> "<service>:<path template>"; placeholders {employee_id}
    # or {unit_id} (each part must use its dashboard's), {period} (2026, 2026-Q1, 2026-03)
    # and {year}.
    dashboard_part_timeout_seconds: float = Field(default=3.0, gt=0)
    dashboard_employee_parts: dict[str, str] = Field(default_factory=_default_employee_parts)
    dashboard_unit_parts: dict[str, str] = Field(default_factory=_default_unit_parts)

    @field_validator("appraisal_url", "feedback_url", "reporting_url", "webhooks_url")
    @classmethod
    def _instance_urls(cls, value: str) -> str:
        urls = split_urls(value)
        if not urls:
            raise ValueError("name at least one base URL")
        for url in urls:
            if not url.startswith(("http://", "https://")):
                raise ValueError(f"not an http(s) base URL: {url!r}")
        if len(set(urls)) != len(urls):
            raise ValueError("an instance is listed twice")
        return value

    @field_validator("assertion_private_key")
    @classmethod
    def _ed25519_private_key(cls, value: SecretStr) -> SecretStr:
        load_private_key(value.get_secret_value())  # ValueError says what is wrong
        return value

    @field_validator("token_signing_key")
    @classmethod
    def _strong_signing_key(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None:
            TokenSigner(value.get_secret_value())  # ValueError says what is wrong
        return value

    @field_validator("trusted_proxies")
    @classmethod
    def _proxies_are_networks(cls, value: list[str]) -> list[str]:
        for cidr in value:
            ipaddress.ip_network(cidr.strip(), strict=False)  # ValueError names the bad one
        return value

    @model_validator(mode="after")
    def _dashboard_parts_name_known_services_and_placeholders(self) -> GatewaySettings:
        views = (
            (self.dashboard_employee_parts, "employee_id"),
            (self.dashboard_unit_parts, "unit_id"),
        )
        for parts, subject in views:
            placeholders = {subject, "period", "year"}
            for name, spec in parts.items():
                service, sep, template = spec.partition(":")
                if not sep or service not in self.upstream_urls() or not template.startswith("/"):
                    raise ValueError(f"dashboard part {name}: want '<service>:/path', got {spec!r}")
                used = {field for _, field, _, _ in Formatter().parse(template) if field}
                if not used <= placeholders:
                    unknown = ", ".join(sorted(used - placeholders))
                    raise ValueError(f"dashboard part {name}: unknown placeholder(s) {unknown}")
                if subject not in used:
                    # Else the part shows every employee's (unit's) data on each dashboard.
                    raise ValueError(
                        f"dashboard part {name}: the path must use {{{subject}}}, so that the "
                        "part is about the dashboard's subject"
                    )
        return self

    @model_validator(mode="after")
    def _pool_lets_connections_go_before_the_services_close_them(self) -> GatewaySettings:
        if self.keepalive_expiry_seconds >= self.server_keepalive_seconds:
            raise ValueError(
                f"GATEWAY_KEEPALIVE_EXPIRY_SECONDS ({self.keepalive_expiry_seconds:g}) must be "
                "below the services' KINERJA_SERVER_KEEPALIVE_SECONDS "
                f"({self.server_keepalive_seconds}): else the gateway reuses connections the "
                "services are closing"
            )
        return self

    @model_validator(mode="after")
    def _no_development_credentials_in_production(self) -> GatewaySettings:
        if self.environment is Environment.PRODUCTION:
            if DEV_APP_KEY_DIGEST in self.app_keys.values():
                raise ValueError("production must not register the development app key")
            if DEV_CLIENT_ID in self.oauth_clients:
                raise ValueError("production must not register the development OAuth2 client")
            if self.assertion_key_id() == DEV_GATEWAY_KEY_ID:
                raise ValueError("production needs its own GATEWAY_ASSERTION_PRIVATE_KEY")
        return self

    @model_validator(mode="after")
    def _services_accept_the_assertion_key(self) -> GatewaySettings:
        if self.assertion_key_id() not in self.gateway_assertion.key_ids():
            raise ValueError(
                "the services would refuse every request: KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS "
                "does not list the public key of GATEWAY_ASSERTION_PRIVATE_KEY"
            )
        return self

    @model_validator(mode="after")
    def _tokens_the_services_accept(self) -> GatewaySettings:
        longest = self.auth.max_token_lifetime_seconds
        if self.token_ttl_seconds > longest:
            raise ValueError(
                f"GATEWAY_TOKEN_TTL_SECONDS ({self.token_ttl_seconds}) is longer than the "
                f"{longest} s KINERJA_AUTH_MAX_TOKEN_LIFETIME_SECONDS accepts"
            )
        signer = self.token_signer()
        if signer is not None and self.auth.jwks and signer.key_id not in self.auth.key_ids():
            if "token_signing_key" in self.model_fields_set:
                raise ValueError(
                    "every token of the token endpoint would be refused: KINERJA_AUTH_JWKS does "
                    "not list the public key of GATEWAY_TOKEN_SIGNING_KEY"
                )
            self.token_signing_key = None  # the development key, not trusted here: no endpoint
        if self.oauth_clients and self.token_signing_key is None:
            raise ValueError(
                "GATEWAY_OAUTH_CLIENTS registers clients, but without GATEWAY_TOKEN_SIGNING_KEY "
                "the token endpoint cannot sign their tokens"
            )
        return self

    def token_signer(self) -> TokenSigner | None:
        """The token endpoint's signer, or None when it has no key."""
        if self.token_signing_key is None:
            return None
        return TokenSigner(self.token_signing_key.get_secret_value())

    def assertion_key_id(self) -> str:
        """The key id of the assertion signing key."""
        return key_id(load_private_key(self.assertion_private_key.get_secret_value()).public_key())

    def upstream_urls(self) -> dict[str, str]:
        """Service name -> its setting as given (one base URL, or several comma-separated)."""
        return {
            "appraisal": self.appraisal_url,
            "feedback": self.feedback_url,
            "reporting": self.reporting_url,
            "webhooks": self.webhooks_url,
        }

    def upstream_instances(self) -> dict[str, tuple[str, ...]]:
        """Service name -> the base URLs of its instances (without trailing slashes)."""
        return {name: split_urls(value) for name, value in self.upstream_urls().items()}


def split_urls(value: str) -> tuple[str, ...]:
    """The base URLs in a comma-separated list, trimmed, without trailing slashes."""
    return tuple(u.strip().rstrip("/") for u in value.split(",") if u.strip())
