"""The gateway's command line for tokens: development tokens (development and test only, never
longer-lived than services accept), and key pairs and JWKS for production and rotation."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinerja_gateway.cli import app as cli
from kinerja_gateway.secrets_hashing import hash_secret
from kinerja_gateway.settings import GatewaySettings
from kinerja_shared.auth import TokenVerifier, issue_token
from kinerja_shared.settings import AuthSettings
from kinerja_shared.token_keys import TokenSigner, load_jwks, new_signing_key
from support.production import clear_settings_environment, production_environment

TOKEN = ["token", "--role", "analyst", "--subject", "u1"]


@pytest.fixture(autouse=True)
def only_what_the_test_sets(monkeypatch: pytest.MonkeyPatch) -> None:
    clear_settings_environment(monkeypatch)


def test_a_development_token_lives_as_long_as_services_accept() -> None:
    result = CliRunner().invoke(cli, TOKEN)
    assert result.exit_code == 0, result.output
    identity = TokenVerifier(AuthSettings()).verify(result.output.strip())
    assert identity.claims["exp"] - identity.claims["iat"] == 3600


def test_the_cli_refuses_a_lifetime_longer_than_services_accept() -> None:
    result = CliRunner().invoke(cli, [*TOKEN, "--ttl", "28800"])
    assert result.exit_code == 2
    assert "at most 3600 s" in result.output


def test_the_cli_mints_no_token_in_production(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in production_environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("KINERJA_ENVIRONMENT", "Production")
    result = CliRunner().invoke(cli, TOKEN)
    assert result.exit_code == 2
    assert "only in development and test" in result.output


def test_token_keys_are_a_signing_key_and_the_jwks_production_starts_with(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    result = CliRunner().invoke(cli, ["token-keys", "--env"])
    assert result.exit_code == 0, result.output
    lines = dict(line.split("=", 1) for line in result.output.splitlines())
    assert set(lines) == {"GATEWAY_TOKEN_SIGNING_KEY", "KINERJA_AUTH_JWKS"}
    for name, value in {**production_environment(), **lines}.items():
        monkeypatch.setenv(name, value)
    settings = GatewaySettings()
    signer = settings.token_signer()
    assert signer is not None
    token = issue_token(settings.auth, subject="client:x", signer=signer)
    assert TokenVerifier(settings.auth).verify(token).subject == "client:x"


def test_production_has_no_token_endpoint_key_unless_set(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in production_environment().items():
        monkeypatch.setenv(name, value)
    assert GatewaySettings().token_signer() is None
    clients = {"payroll": {"secret_hash": hash_secret("s3cret", iterations=1000)}}
    monkeypatch.setenv("GATEWAY_OAUTH_CLIENTS", json.dumps(clients))
    with pytest.raises(ValueError, match="GATEWAY_TOKEN_SIGNING_KEY"):
        GatewaySettings()


def test_the_jwks_of_two_keys_lets_tokens_of_both_verify_while_rotating(tmp_path: Path) -> None:
    old, new = new_signing_key()[0], new_signing_key()[0]
    (tmp_path / "old.pem").write_text(old)
    (tmp_path / "new.pem").write_text(new)
    result = CliRunner().invoke(cli, ["jwks", str(tmp_path / "old.pem"), str(tmp_path / "new.pem")])
    assert result.exit_code == 0, result.output
    assert len(load_jwks(result.output)) == 2
    settings = AuthSettings(jwks=result.output)
    verifier = TokenVerifier(settings)
    for key in (old, new):
        token = issue_token(settings, subject="u1", signer=TokenSigner(key))
        assert verifier.verify(token).subject == "u1"
