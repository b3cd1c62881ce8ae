"""Kafka client settings, pure: what a client connects with, and that every client in the
code connects through kinerja_shared.kafka_client.client_options."""

from __future__ import annotations

import ast
import ssl
from pathlib import Path

import pytest
from pydantic import SecretStr

from kinerja_appraisal.settings import AppraisalSettings
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.gateway_keys import new_key_pair
from kinerja_shared.kafka_client import (
    KafkaClientSettingsError,
    client_options,
    read_credentials_file,
)
from kinerja_shared.settings import KafkaSettings
from support.common import ROOT
from support.production import own_jwks

CLIENTS = {"AIOKafkaProducer", "AIOKafkaConsumer", "AIOKafkaAdminClient"}


def test_a_sasl_client_connects_with_its_principal_and_mechanism() -> None:
    options = client_options(
        KafkaSettings(
            bootstrap_servers="kafka:9092",
            security_protocol="SASL_PLAINTEXT",
            username="reporting",
            password=SecretStr("s3cret"),
        )
    )
    assert options == {
        "bootstrap_servers": "kafka:9092",
        "security_protocol": "SASL_PLAINTEXT",
        "sasl_mechanism": "SCRAM-SHA-512",
        "sasl_plain_username": "reporting",
        "sasl_plain_password": "s3cret",
    }


def test_sasl_without_a_password_is_refused_before_connecting() -> None:
    settings = KafkaSettings(security_protocol="SASL_SSL", username="reporting", password=None)
    with pytest.raises(KafkaClientSettingsError, match="KAFKA_PASSWORD"):
        client_options(settings)


def test_sasl_ssl_verifies_the_brokers_against_the_system_or_the_given_ca() -> None:
    settings = KafkaSettings(
        security_protocol="SASL_SSL", username="reporting", password=SecretStr("s3cret")
    )
    context = client_options(settings)["ssl_context"]
    assert isinstance(context, ssl.SSLContext)
    assert context.verify_mode == ssl.CERT_REQUIRED
    missing = settings.model_copy(update={"ssl_cafile": Path("/nonexistent/ca.pem")})
    with pytest.raises(FileNotFoundError):  # the CA file is really loaded
        client_options(missing)


def test_a_services_own_principal_replaces_the_shared_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_PLAINTEXT")
    monkeypatch.setenv("KAFKA_USERNAME", "admin")
    monkeypatch.setenv("KAFKA_PASSWORD", "admin-password")
    monkeypatch.setenv("APPRAISAL_KAFKA_USERNAME", "appraisal")
    monkeypatch.setenv("APPRAISAL_KAFKA_PASSWORD", "appraisal-password")
    appraisal = client_options(AppraisalSettings().kafka)
    assert (appraisal["sasl_plain_username"], appraisal["sasl_plain_password"]) == (
        "appraisal",
        "appraisal-password",
    )
    feedback = client_options(FeedbackSettings().kafka)  # no principal of its own
    assert feedback["sasl_plain_username"] == "admin"


def test_production_refuses_kafka_without_authentication(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("KINERJA_ENVIRONMENT", "production")
    monkeypatch.setenv("KINERJA_AUTH_JWKS", own_jwks())
    monkeypatch.setenv("KINERJA_GATEWAY_ASSERTION_PUBLIC_KEYS", new_key_pair()[1])
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "PLAINTEXT")
    with pytest.raises(ValueError, match="KAFKA_SECURITY_PROTOCOL"):
        AppraisalSettings()
    monkeypatch.setenv("KAFKA_SECURITY_PROTOCOL", "SASL_SSL")
    assert AppraisalSettings().kafka.security_protocol == "SASL_SSL"


def test_a_brokers_credentials_file_reads_as_variables(tmp_path: Path) -> None:
    path = tmp_path / "credentials"
    path.write_text(
        "# comment\nKAFKA_USERNAME=admin\nKAFKA_PASSWORD=a1b2\nANALYTICS_KAFKA_PASSWORD=c3d4\n"
    )
    assert read_credentials_file(path) == {
        "KAFKA_USERNAME": "admin",
        "KAFKA_PASSWORD": "a1b2",
        "ANALYTICS_KAFKA_PASSWORD": "c3d4",
    }


def _client_calls_without_options(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if not isinstance(node, ast.Call):
            continue
        name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
        if name not in CLIENTS:
            continue
        through_helper = any(
            k.arg is None
            and isinstance(k.value, ast.Call)
            and getattr(k.value.func, "id", None) == "client_options"
            for k in node.keywords
        )
        if not through_helper:
            found.append(f"{path.relative_to(ROOT)}:{node.lineno} {name}")
    return found


def test_every_kafka_client_in_the_code_connects_through_client_options() -> None:
    roots = [ROOT / "shared", ROOT / "services", ROOT / "bench", ROOT / "tests"]
    files = [p for r in roots for p in r.rglob("*.py") if "migrations" not in p.parts]
    offenders = [line for path in files for line in _client_calls_without_options(path)]
    assert offenders == []
