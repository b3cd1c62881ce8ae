"""Fixtures of the reporting tests: a migrated database, the app, tokens, event delivery."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI
from reporting.feeding import Feeder

from kinerja_reporting.main import create_app
from kinerja_reporting.models import metadata
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.auth import issue_token
from kinerja_shared.runtime import ServiceRuntime
from support.common import database_url_for
from support.database import empty_tables, migrate
from support.gateway_assertion import AsGateway

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "services" / "reporting" / "alembic.ini"


@pytest.fixture(scope="session")
def reporting_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The reporting database, migrated from scratch once per session."""
    url = database_url_for("reporting", tmp_path_factory.mktemp("reporting"))
    migrate(ALEMBIC_INI, url)
    return url


@pytest.fixture
async def database_url(reporting_database: str) -> str:
    """The reporting database, emptied for this test."""
    await empty_tables(reporting_database, metadata)
    return reporting_database


@pytest.fixture
def settings(database_url: str) -> ReportingSettings:
    """Settings without background relay or consumers (tests deliver events themselves)."""
    return ReportingSettings(
        database_url=database_url,
        run_relay=False,
        run_consumers=False,
        kafka={"namespace": f"t{uuid.uuid4().hex[:12]}."},
    )


@pytest.fixture
async def app(settings: ReportingSettings) -> AsyncIterator[FastAPI]:
    """The reporting app, started."""
    application = create_app(settings)
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
def runtime(app: FastAPI) -> ServiceRuntime:
    """The app's runtime."""
    found: ServiceRuntime = app.state.runtime
    return found


@pytest.fixture
def feeder(runtime: ServiceRuntime) -> Feeder:
    """Delivers events to the app's consumer as Kafka records (inbox and handlers included)."""
    return Feeder(runtime)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    """An HTTP client of the app."""
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(
        transport=transport, base_url="http://reporting", auth=AsGateway("reporting")
    ) as http:
        yield http


def token(settings: ReportingSettings, *roles: str, **claims: str) -> dict[str, str]:
    """Authorization header for a caller with roles (claims: unit_code, employee_id, scopes)."""
    scopes = claims.pop("scopes", "")
    value = issue_token(
        settings.auth, subject="tester", roles=roles, scopes=scopes.split(), **claims
    )
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def analyst(settings: ReportingSettings) -> dict[str, str]:
    """An analyst's headers."""
    return token(settings, "analyst")
