"""Every way a Kinerja process is served keeps idle connections open for the same time,
KINERJA_SERVER_KEEPALIVE_SECONDS, longer than the gateway's pool keeps them: the pool lets a
connection go before the service would close it under a request."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Any

import pytest
import uvicorn
import yaml
from pydantic import ValidationError

from kinerja_gateway.settings import GatewaySettings
from kinerja_shared.settings import ServiceSettings

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
SERVICES = ("appraisal", "feedback", "reporting", "webhooks", "gateway")
DEFAULT = ServiceSettings.model_fields["server_keepalive_seconds"].default
#: How a shell command line passes the setting to uvicorn.
KEEP_ALIVE_FLAG = f"--timeout-keep-alive ${{KINERJA_SERVER_KEEPALIVE_SECONDS:-{DEFAULT}}}"


def uvicorn_lines() -> dict[str, str]:
    """The uvicorn command lines of the Procfile (by process) and of the image's CMD."""
    lines = {
        name: command
        for name, _, command in (
            line.partition(": ") for line in (DEPLOY / "Procfile").read_text().splitlines()
        )
        if "uvicorn" in command
    }
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD "))
    lines["Dockerfile CMD"] = cmd
    return lines


def test_every_uvicorn_command_line_keeps_connections_for_the_setting() -> None:
    lines = uvicorn_lines()
    assert set(lines) == {*SERVICES, "Dockerfile CMD"}
    assert {name: KEEP_ALIVE_FLAG in line for name, line in lines.items()} == dict.fromkeys(
        lines, True
    )


def test_compose_and_kubernetes_run_the_images_command_unchanged() -> None:
    compose = yaml.safe_load((DEPLOY / "compose.yaml").read_text())["services"]
    assert [s for s in SERVICES if "command" in compose[s] or "entrypoint" in compose[s]] == []
    for service in SERVICES:
        documents = yaml.safe_load_all((DEPLOY / "k8s" / "base" / f"{service}.yaml").read_text())
        containers = [
            c
            for d in documents
            if d and d.get("kind") == "Deployment"
            for c in d["spec"]["template"]["spec"]["containers"]
        ]
        assert containers
        assert [c["name"] for c in containers if "command" in c or "args" in c] == []


@pytest.mark.parametrize("service", SERVICES)
def test_the_serve_command_keeps_connections_for_the_setting(
    service: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **options: ran.update(options, app=app))
    monkeypatch.setenv("KINERJA_SERVER_KEEPALIVE_SECONDS", "90")
    cli = importlib.import_module(f"kinerja_{service}.cli")
    cli.serve()
    assert ran["app"] == f"kinerja_{service}.main:app"
    assert ran["timeout_keep_alive"] == 90
    assert ran["proxy_headers"] is False


def test_the_gateway_pool_lets_connections_go_before_the_services_close_them() -> None:
    defaults = GatewaySettings()
    assert defaults.keepalive_expiry_seconds < defaults.server_keepalive_seconds == DEFAULT
    with pytest.raises(ValidationError, match="KINERJA_SERVER_KEEPALIVE_SECONDS"):
        GatewaySettings(keepalive_expiry_seconds=20, server_keepalive_seconds=20)
