"""Fixtures of the appraisal service tests: a migrated database and an HTTP client."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from appraisal.helpers import World
from kinerja_appraisal.main import create_app
from kinerja_appraisal.models import metadata
from kinerja_appraisal.settings import PREFIX, AppraisalSettings
from kinerja_shared.runtime import ServiceRuntime
from support.common import database_url_for
from support.database import empty_tables, migrate
from support.gateway_assertion import AsGateway

ALEMBIC_INI = Path(__file__).resolve().parents[2] / "services" / "appraisal" / "alembic.ini"


@pytest.fixture(scope="session")
def appraisal_database(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The appraisal database, migrated from scratch once per session."""
    url = database_url_for("appraisal", tmp_path_factory.mktemp("appraisal"))
    migrate(ALEMBIC_INI, url)
    return url


@pytest.fixture
async def database_url(appraisal_database: str) -> str:
    """The migrated database, emptied before the test."""
    await empty_tables(appraisal_database, metadata)
    return appraisal_database


@pytest.fixture
def unique() -> str:
    """A unique suffix for topic namespaces and consumer groups."""
    return uuid.uuid4().hex[:12]


@pytest.fixture(scope="session")
async def session_app(appraisal_database: str) -> AsyncIterator[FastAPI]:
    """One app (and connection pool) for the session; relay and consumers off."""
    application = create_app(
        AppraisalSettings(
            database_url=appraisal_database,
            run_relay=False,
            run_consumers=False,
            kafka={"bootstrap_servers": "127.0.0.1:1"},
        )
    )
    yield application
    runtime: ServiceRuntime = application.state.runtime
    await runtime.engine.dispose()


@pytest.fixture
def app(session_app: FastAPI, database_url: str) -> FastAPI:
    """The app under test, on a database emptied for this test."""
    return session_app


@pytest.fixture
def settings(app: FastAPI) -> AppraisalSettings:
    """The settings of the app under test."""
    settings: AppraisalSettings = app.state.settings
    return settings


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[AsyncClient]:
    """An HTTP client on the service's prefix."""
    async with AsyncClient(
        transport=ASGITransport(app, raise_app_exceptions=False),
        base_url=f"http://appraisal{PREFIX}",
        auth=AsGateway("appraisal"),
    ) as http:
        yield http


@pytest.fixture
def world(client: AsyncClient, settings: AppraisalSettings) -> World:
    """Builds organisation data through the API."""
    return World(client, settings)
