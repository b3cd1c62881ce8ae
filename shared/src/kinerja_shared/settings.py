"""Settings shared by every service, read from environment variables (pydantic-settings)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, ClassVar, Final, Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from kinerja_shared.environment import (
    DevelopmentCredential,
    Environment,
    EnvironmentName,
    refuse_development_credentials,
)
from kinerja_shared.gateway_keys import key_id, load_public_keys
from kinerja_shared.token_keys import ASYMMETRIC_ALGORITHMS, load_jwks

#: The repository root when running from a checkout; `var/` under it holds local state.
REPO_ROOT = Path(__file__).resolve().parents[3]
VAR_DIR = REPO_ROOT / "var"

#: The development key signing bearer tokens (kinerja_shared.auth.issue_token: tests and the
#: development `kinerja-gateway token`; the gateway's token endpoint by default) and the JWKS of
#: its public key, what tokens are verified with by default. Production refuses both;
#: `kinerja-gateway token-keys` makes a pair of one's own.
DEV_TOKEN_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIAP/boNG3k+XivEvcDFXEguYpXSy2TrX8n940J1ztTFt
-----END PRIVATE KEY-----
"""  # noqa: S105
DEV_JWKS = """{"keys": [{"kty": "OKP", "crv": "Ed25519", "alg": "EdDSA", "use": "sig",
  "x": "oa--6JPVIgMxq6EGYCQTBCU4_bpYrXhScwrUdwv6MwI",
  "kid": "aWehf4rW_EtRS0ktmZfYMo1Qz-1LPz6KVg_AEAB0jBc"}]}
"""
DEV_TOKEN_KEY_ID: Final[str] = json.loads(DEV_JWKS)["keys"][0]["kid"]
#: Kafka without authentication: only for a broker of one's own (refused in production).
DEV_KAFKA_SECURITY_PROTOCOL: Final = "PLAINTEXT"

KafkaSecurityProtocol = Literal["PLAINTEXT", "SASL_PLAINTEXT", "SASL_SSL"]
KafkaSaslMechanism = Literal["SCRAM-SHA-512", "SCRAM-SHA-256", "PLAIN"]

#: The development key pair of gateway assertions (kinerja_shared.gateway_assertion); production
#: refuses both. `kinerja-gateway assertion-keys` prints a new pair.
DEV_GATEWAY_PRIVATE_KEY = """-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIMdhhSqYje5Dp/7FVOmzxYirbczcEOg9RTfp34ZAYUvb
-----END PRIVATE KEY-----
"""
DEV_GATEWAY_PUBLIC_KEY = """-----BEGIN PUBLIC KEY-----
MCowBQYDK2VwAyEAl1HtQsG1O+bhm0TmzGGgP18F3WiISg6u3ZKPATUXtiI=
-----END PUBLIC KEY-----
"""
DEV_GATEWAY_KEY_ID = key_id(next(iter(load_public_keys(DEV_GATEWAY_PUBLIC_KEY).values())))


class KafkaSettings(BaseSettings):
    """Where the broker is, who this client is, and how topics are laid out.

    The connection settings are read without a prefix (`KAFKA_SECURITY_PROTOCOL`,
    `KAFKA_USERNAME`, ...); a service's own principal (`APPRAISAL_KAFKA_USERNAME`, ...)
    replaces the shared one (see ServiceSettings). Every aiokafka client is built from these
    through `kinerja_shared.kafka_client.client_options`.
    """

    model_config = SettingsConfigDict(
        env_prefix="KINERJA_TOPIC_", extra="ignore", populate_by_name=True
    )

    bootstrap_servers: str = Field(
        default="127.0.0.1:19092",
        validation_alias=AliasChoices("KAFKA_BOOTSTRAP_SERVERS"),
        description="Comma-separated host:port list of the Kafka cluster.",
    )
    security_protocol: Annotated[
        KafkaSecurityProtocol,
        DevelopmentCredential(hint="SASL_SSL or SASL_PLAINTEXT: a broker that authenticates"),
    ] = Field(
        default=DEV_KAFKA_SECURITY_PROTOCOL,
        validation_alias=AliasChoices("KAFKA_SECURITY_PROTOCOL"),
        description="PLAINTEXT (no authentication), SASL_PLAINTEXT or SASL_SSL.",
    )
    sasl_mechanism: KafkaSaslMechanism = Field(
        default="SCRAM-SHA-512",
        validation_alias=AliasChoices("KAFKA_SASL_MECHANISM"),
        description="The SASL mechanism of SASL_PLAINTEXT and SASL_SSL.",
    )
    username: str | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_USERNAME"),
        description="The SASL principal (a service's own: <SERVICE>_KAFKA_USERNAME).",
    )
    password: SecretStr | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_PASSWORD"),
        description="The SASL password (a service's own: <SERVICE>_KAFKA_PASSWORD).",
    )
    ssl_cafile: Path | None = Field(
        default=None,
        validation_alias=AliasChoices("KAFKA_SSL_CAFILE"),
        description="CA certificates (PEM) that sign the brokers' certificates (SASL_SSL); "
        "the system's CAs when unset.",
    )
    namespace: str = Field(
        default="",
        pattern=r"^[A-Za-z0-9._-]*$",
        description="Prefix of every topic name, to share one cluster between environments.",
    )
    partitions: int = Field(default=6, ge=1, description="Partitions of each service topic.")
    replication_factor: int = Field(default=1, ge=1, description="Replicas of each topic.")
    retention_ms: int = Field(
        default=-1, description="Topic retention in ms; -1 keeps events indefinitely."
    )


class AuthSettings(BaseSettings):
    """How bearer tokens are verified (kinerja_shared.auth): signatures of asymmetric keys only,
    from a JWKS given here (inline or a file) and/or fetched from the issuer's JWKS URL, and a
    bounded lifetime. No process but the issuer holds a private key."""

    model_config = SettingsConfigDict(env_prefix="KINERJA_AUTH_", extra="ignore")

    jwks: Annotated[
        str | None,
        DevelopmentCredential(
            alternatives=("jwks_url",),
            hint="the JWKS of `kinerja-gateway token-keys`, or the OIDC provider's JWKS URL",
        ),
    ] = Field(
        default=DEV_JWKS,
        description="The public keys tokens are verified with: a JWKS (JSON) or the path of a "
        "JWKS file (several keys while rotating); none when only KINERJA_AUTH_JWKS_URL is set.",
    )
    jwks_url: str | None = Field(
        default=None,
        description="The issuer's JWKS URL (the city's OIDC provider), fetched and cached.",
    )
    issuer: str = "kinerja-dev"
    audience: str = "kinerja"
    algorithms: list[str] = Field(
        default_factory=lambda: sorted(ASYMMETRIC_ALGORITHMS),
        description="Signature algorithms accepted (asymmetric only; HS256 never).",
    )
    jwks_cache_seconds: int = 300
    max_token_lifetime_seconds: int = Field(
        default=3600, ge=60, description="The longest lifetime (exp - iat) of a token accepted."
    )

    @field_validator("jwks")
    @classmethod
    def _strong_keys(cls, value: str | None) -> str | None:
        if value is not None:
            load_jwks(value)  # ValueError names the key at fault
        return value

    @field_validator("jwks_url")
    @classmethod
    def _http_url(cls, value: str | None) -> str | None:
        if value is not None and not value.startswith(("https://", "http://")):
            raise ValueError(f"not an http(s) URL: {value!r}")
        return value

    @field_validator("algorithms")
    @classmethod
    def _asymmetric_algorithms(cls, value: list[str]) -> list[str]:
        refused = sorted(set(value) - ASYMMETRIC_ALGORITHMS)
        if refused:
            raise ValueError(
                f"not accepted: {', '.join(refused)}; tokens are signed asymmetrically "
                f"({', '.join(sorted(ASYMMETRIC_ALGORITHMS))})"
            )
        return value

    @model_validator(mode="after")
    def _only_the_issuers_keys_once_a_jwks_url_is_set(self) -> AuthSettings:
        if self.jwks_url and "jwks" not in self.model_fields_set:
            self.jwks = None  # not the development keys
        return self

    def key_ids(self) -> set[str]:
        """The ids of the keys listed in KINERJA_AUTH_JWKS (not those of the JWKS URL)."""
        return set(load_jwks(self.jwks)) if self.jwks else set()


class GatewayAssertionSettings(BaseSettings):
    """Which gateway assertions a service accepts (kinerja_shared.gateway_assertion): signed by
    one of these public keys, within the clock skew allowed."""

    model_config = SettingsConfigDict(env_prefix="KINERJA_GATEWAY_ASSERTION_", extra="ignore")

    public_keys: Annotated[
        str,
        DevelopmentCredential(hint="the public key of `kinerja-gateway assertion-keys`"),
    ] = Field(
        default=DEV_GATEWAY_PUBLIC_KEY,
        description="The gateway's Ed25519 public keys, PEM, one or more (rotation: list the "
        "next key before the gateway signs with it).",
    )
    leeway_seconds: float = Field(
        default=5.0, ge=0, le=60, description="Clock skew allowed between gateway and services."
    )

    @field_validator("public_keys")
    @classmethod
    def _ed25519_public_keys(cls, value: str) -> str:
        load_public_keys(value)  # ValueError says what is wrong
        return value

    def key_ids(self) -> set[str]:
        """The ids of the accepted keys."""
        return set(load_public_keys(self.public_keys))


class ServiceSettings(BaseSettings):
    """Settings of one service; a subclass names the service and its environment prefix.

    `APPRAISAL_DATABASE_URL`, `FEEDBACK_PORT` and so on; Kafka and auth settings are shared
    and read without a prefix (`KAFKA_BOOTSTRAP_SERVERS`, `KINERJA_AUTH_*`).
    """

    service_name: ClassVar[str] = "service"
    default_port: ClassVar[int] = 8000

    model_config = SettingsConfigDict(extra="ignore", populate_by_name=True)

    environment: EnvironmentName = Field(
        default=Environment.DEVELOPMENT,
        validation_alias=AliasChoices("KINERJA_ENVIRONMENT"),
        description="development, test or production (any case); production refuses every "
        "development credential (kinerja_shared.environment).",
    )
    host: str = "127.0.0.1"
    port: int = 0
    database_url: str = ""
    database_pool_size: int = Field(default=10, ge=1, description="PostgreSQL pool per replica")
    database_max_overflow: int = Field(default=20, ge=0, description="Extra connections at peaks")
    log_level: str = Field(default="INFO", validation_alias=AliasChoices("KINERJA_LOG_LEVEL"))
    max_body_bytes: int = Field(
        default=1_048_576, ge=0, description="Largest request body in bytes (413 problem)"
    )
    server_keepalive_seconds: int = Field(
        default=75,
        ge=1,
        validation_alias=AliasChoices("KINERJA_SERVER_KEEPALIVE_SECONDS"),
        description="How long the HTTP server keeps an idle connection open (uvicorn's "
        "--timeout-keep-alive); longer than the gateway's pool and load balancers keep theirs",
    )
    outbox_batch_size: int = Field(default=500, ge=1)
    group_commit_max_works: int = Field(
        default=64,
        ge=1,
        description="Most concurrent writes of the hot path committed in one transaction "
        "(kinerja_shared.group_commit).",
    )
    outbox_poll_seconds: float = Field(default=0.5, gt=0)
    outbox_lanes_per_claim: int = Field(default=4, ge=1)
    consumer_max_attempts: int = Field(default=3, ge=1)
    consumer_retry_backoff_seconds: float = Field(default=0.2, ge=0)
    consumer_transaction_batch: int = Field(
        default=100, ge=1, description="Events applied per consumer transaction (1: one each)"
    )
    consumer_max_clock_skew_seconds: float = Field(
        default=300,
        ge=0,
        description="How far in the future an event's time may be before a consumer refuses it",
    )
    kafka_username: str | None = Field(
        default=None, description="This service's own Kafka principal (replaces KAFKA_USERNAME)"
    )
    kafka_password: SecretStr | None = Field(
        default=None, description="This service's own Kafka password (replaces KAFKA_PASSWORD)"
    )
    readiness_kafka_timeout_seconds: float = Field(
        default=1.5,
        gt=0,
        description="How long /health/ready waits for the broker to answer a metadata request "
        "(below the gateway's GATEWAY_READINESS_TIMEOUT_SECONDS and the probes' timeout)",
    )
    readiness_requires_kafka: bool = Field(
        default=True,
        description="Whether a broker that does not answer makes the service not ready (503); "
        "false keeps it in service during a Kafka outage (writes go to the outbox)",
    )
    health_detail_roles: list[str] = Field(
        default_factory=lambda: ["operator"],
        validation_alias=AliasChoices("KINERJA_HEALTH_DETAIL_ROLES"),
        description="Roles whose bearer token sees the details of /health/ready (which check "
        "failed, addresses, errors); everyone else sees only up or down",
    )
    run_relay: bool = True
    run_consumers: bool = True
    kafka: KafkaSettings = Field(default_factory=KafkaSettings)
    auth: AuthSettings = Field(default_factory=AuthSettings)
    gateway_assertion: GatewayAssertionSettings = Field(default_factory=GatewayAssertionSettings)

    @model_validator(mode="after")
    def _defaults_for_one_machine(self) -> ServiceSettings:
        if not self.port:
            self.port = self.default_port
        if not self.database_url:
            self.database_url = f"sqlite+aiosqlite:///{VAR_DIR / f'{self.service_name}.db'}"
        own = {
            key: value
            for key, value in (("username", self.kafka_username), ("password", self.kafka_password))
            if value is not None
        }
        if own:  # a copy: a KafkaSettings handed in may be shared with other settings
            self.kafka = self.kafka.model_copy(update=own)
        return self

    @model_validator(mode="after")
    def _production_refuses_development_credentials(self) -> ServiceSettings:
        # Runs before the validators of subclasses, which see the credentials decided here.
        if self.environment is Environment.PRODUCTION:
            refuse_development_credentials(self)
        return self

    @model_validator(mode="after")
    def _production_needs_own_gateway_keys(self) -> ServiceSettings:
        if self.environment is Environment.PRODUCTION and (
            DEV_GATEWAY_KEY_ID in self.gateway_assertion.key_ids()
        ):
            raise ValueError(
                "production must not accept the development gateway key: set "
                "KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS"
            )
        if self.environment is Environment.PRODUCTION and DEV_TOKEN_KEY_ID in self.auth.key_ids():
            raise ValueError(
                "production must not accept tokens of the development signing key: remove it "
                "from KINERJA_AUTH_JWKS"
            )
        return self

    @property
    def source(self) -> str:
        """The CloudEvents `source` of events this service publishes."""
        return f"/kinerja/{self.service_name}"
