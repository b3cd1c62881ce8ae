"""KINERJA_ENVIRONMENT: one of development, test or production, whatever the case; anything else
stops start-up; production refuses to start without each secret of its own."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError
from pydantic_settings import BaseSettings

from kinerja_appraisal.settings import AppraisalSettings
from kinerja_feedback.settings import FeedbackSettings
from kinerja_gateway.settings import GatewaySettings
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.settings import DEV_JWKS
from kinerja_webhooks.settings import WebhooksSettings
from support.production import (
    OWN_SECRETS,
    SHARED_SECRETS,
    clear_settings_environment,
    production_environment,
)

SETTINGS: dict[str, type[BaseSettings]] = {
    "appraisal": AppraisalSettings,
    "feedback": FeedbackSettings,
    "reporting": ReportingSettings,
    "webhooks": WebhooksSettings,
    "gateway": GatewaySettings,
}
SECRETS = [
    (service, variable)
    for service in SETTINGS
    for variable in (*SHARED_SECRETS, *OWN_SECRETS[service])
]


@pytest.fixture(autouse=True)
def only_what_the_test_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_settings_environment(monkeypatch)


def refusal(monkeypatch: pytest.MonkeyPatch, service: str, **variables: str) -> str:
    for name, value in variables.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError) as refused:
        SETTINGS[service]()
    return str(refused.value)


@pytest.mark.parametrize("service", SETTINGS)
@pytest.mark.parametrize("value", ["prod", "Prodcution", "staging", "", "development;"])
def test_an_unknown_environment_stops_start_up_naming_the_setting_and_the_allowed_values(
    monkeypatch: pytest.MonkeyPatch, service: str, value: str
) -> None:
    message = refusal(monkeypatch, service, KINERJA_ENVIRONMENT=value)
    assert "KINERJA_ENVIRONMENT must be one of development, test, production" in message
    assert repr(value) in message


@pytest.mark.parametrize("service", SETTINGS)
@pytest.mark.parametrize("value", ["Production", "PRODUCTION", " production ", "production\n"])
def test_production_in_any_case_or_with_spaces_refuses_the_development_credentials(
    monkeypatch: pytest.MonkeyPatch, service: str, value: str
) -> None:
    message = refusal(monkeypatch, service, KINERJA_ENVIRONMENT=value)
    assert "production needs settings of its own" in message
    assert "KINERJA_AUTH_JWKS: not set (nor KINERJA_AUTH_JWKS_URL)" in message


@pytest.mark.parametrize("service", SETTINGS)
@pytest.mark.parametrize("value", ["Production", " production "])
def test_production_in_any_case_starts_with_secrets_of_its_own(
    monkeypatch: pytest.MonkeyPatch, service: str, value: str
) -> None:
    for name, setting in {**production_environment(), "KINERJA_ENVIRONMENT": value}.items():
        monkeypatch.setenv(name, setting)
    assert SETTINGS[service]().environment == "production"


@pytest.mark.parametrize("value", ["test", "TEST", "Development", " development"])
def test_development_and_test_run_with_the_development_credentials(
    monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv("KINERJA_ENVIRONMENT", value)
    settings = GatewaySettings()
    assert settings.environment == value.strip().lower()
    assert settings.oauth_clients  # the development client
    assert settings.kafka.security_protocol == "PLAINTEXT"


@pytest.mark.parametrize(("service", "variable"), SECRETS)
def test_production_without_a_secret_refuses_to_start_naming_it(
    monkeypatch: pytest.MonkeyPatch, service: str, variable: str
) -> None:
    environment = production_environment()
    del environment[variable]
    message = refusal(monkeypatch, service, **environment)
    assert f"{variable}: not set" in message


@pytest.mark.parametrize("service", SETTINGS)
def test_production_names_every_missing_secret_at_once(
    monkeypatch: pytest.MonkeyPatch, service: str
) -> None:
    message = refusal(monkeypatch, service, KINERJA_ENVIRONMENT="production")
    for variable in (*SHARED_SECRETS, *OWN_SECRETS[service]):
        assert f"{variable}: not set" in message


@pytest.mark.parametrize("service", SETTINGS)
def test_production_with_every_secret_of_its_own_starts(
    monkeypatch: pytest.MonkeyPatch, service: str
) -> None:
    for name, value in production_environment().items():
        monkeypatch.setenv(name, value)
    settings = SETTINGS[service]()
    assert settings.environment == "production"


@pytest.mark.parametrize("service", SETTINGS)
def test_production_refuses_the_development_token_key_beside_its_own(
    monkeypatch: pytest.MonkeyPatch, service: str
) -> None:
    environment = production_environment()
    own = json.loads(environment["KINERJA_AUTH_JWKS"])["keys"]
    development = json.loads(DEV_JWKS)["keys"]
    environment["KINERJA_AUTH_JWKS"] = json.dumps({"keys": own + development})
    message = refusal(monkeypatch, service, **environment)
    assert "development signing key" in message
