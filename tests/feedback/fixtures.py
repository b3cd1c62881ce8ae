"""Fixtures of the feedback service's tests: a migrated database, an app, tokens, a clock."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from httpx import ASGITransport, AsyncClient

from kinerja_feedback.dependencies import current_time
from kinerja_feedback.directory import service as directory
from kinerja_feedback.main import create_app
from kinerja_feedback.models import metadata
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.auth import issue_token
from kinerja_shared.events.types.appraisal import EmployeeUpserted, UnitUpserted
from kinerja_shared.settings import AuthSettings
from support.common import ROOT, database_url_for
from support.database import empty_tables, migrate
from support.gateway_assertion import AsGateway

ALEMBIC_INI = ROOT / "services" / "feedback" / "alembic.ini"
PREFIX = "/api/v1/feedback"
UNIT = "unit-dauh-puri"
OTHER_UNIT = "unit-sanur"
# A Wednesday, 10:00 WITA.
NOW = datetime(2026, 3, 4, 2, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def feedback_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The feedback database, migrated from scratch once per session."""
    url = database_url_for("feedback", Path(tmp_path_factory.mktemp("feedback")))
    migrate(ALEMBIC_INI, url)
    return url


class Clock:
    """A controllable now."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def make_settings(url: str, **overrides: Any) -> FeedbackSettings:
    """Settings of a test app: no relay or consumers unless a test asks for them."""
    values: dict[str, Any] = {
        "database_url": url,
        "run_relay": False,
        "run_consumers": False,
        "kafka": {"bootstrap_servers": "127.0.0.1:1", "namespace": f"t{uuid.uuid4().hex[:10]}."},
    }
    values.update(overrides)
    return FeedbackSettings(**values)


async def seed_directory(app: Any) -> None:
    """Two units and three staff members, as the appraisal service's events would leave them."""
    runtime = app.state.runtime
    async with runtime.sessions() as session, session.begin():
        for unit_id, name, kind in (
            (UNIT, "Kelurahan Dauh Puri", "kelurahan"),
            (OTHER_UNIT, "Kelurahan Sanur", "kelurahan"),
        ):
            await directory.upsert_unit(
                session, UnitUpserted(unit_id=unit_id, code=unit_id, name=name, kind=kind), now=NOW
            )
        for employee_id, code, unit in (
            ("emp-1", "DP-001", UNIT),
            ("emp-2", "DP-002", UNIT),
            ("emp-3", "SN-001", OTHER_UNIT),
        ):
            await directory.upsert_staff(
                session,
                EmployeeUpserted(
                    employee_id=employee_id,
                    staff_code=code,
                    kind="pns",
                    position="Pelayanan",
                    unit_id=unit,
                ),
                now=NOW,
            )


def token(
    roles: list[str],
    unit: str | None = UNIT,
    subject: str = "staff-1",
    employee_id: str | None = None,
) -> dict[str, str]:
    """An Authorization header for a caller with these roles in this unit."""
    value = issue_token(
        AuthSettings(), subject=subject, roles=roles, unit_code=unit, employee_id=employee_id
    )
    return {"Authorization": f"Bearer {value}"}


@pytest.fixture
def clock() -> Clock:
    """The tests' clock (starts at NOW)."""
    return Clock(NOW)


@pytest.fixture
def app_factory(feedback_db: str, clock: Clock) -> Callable[..., Any]:
    """Build an app on the test database with the test clock and optional setting overrides."""

    def build(**overrides: Any) -> Any:
        app = create_app(make_settings(feedback_db, **overrides))
        app.dependency_overrides[current_time] = clock
        return app

    return build


@pytest.fixture
async def client(feedback_db: str, app_factory: Callable[..., Any]) -> AsyncIterator[AsyncClient]:
    """An HTTP client of a fresh app over empty tables, with the directory seeded."""
    await empty_tables(feedback_db, metadata)
    app = app_factory()
    await seed_directory(app)
    async with AsyncClient(
        transport=ASGITransport(app, raise_app_exceptions=False),
        base_url="http://feedback",
        auth=AsGateway("feedback"),
    ) as http:
        http.app = app  # type: ignore[attr-defined]
        yield http
    await app.state.runtime.engine.dispose()


ADMIN = token(["bkpsdm_admin"], unit=None, subject="admin-1")
UNIT_HEAD = token(["unit_head"], subject="head-1", employee_id="emp-head")
OTHER_HEAD = token(["unit_head"], unit=OTHER_UNIT, subject="head-2")


async def create_point(client: AsyncClient, **fields: Any) -> dict[str, Any]:
    """Create a service point as the unit head (201 expected)."""
    body = {
        "name": "Kantor Lurah Dauh Puri",
        "unit_id": UNIT,
        "kind": "kelurahan_office",
        "slug": "lurah-dauh-puri",
        "latitude": -8.6563,
        "longitude": 115.2090,
        "service_types": ["KTP", "KK"],
        "staff_codes": ["DP-001"],
    }
    body.update(fields)
    response = await client.post(f"{PREFIX}/service-points", json=body, headers=UNIT_HEAD)
    assert response.status_code == 201, response.text
    return dict(response.json())


def submission(**fields: Any) -> dict[str, Any]:
    """A valid submission body (visit yesterday, all nine answers)."""
    body: dict[str, Any] = {
        "service_point": "lurah-dauh-puri",
        "visit_date": "2026-03-03",
        "answers": {f"U{i}": 3 for i in range(1, 10)},
        "overall_rating": 4,
        "channel": "app",
    }
    body.update(fields)
    return body


async def submit(
    client: AsyncClient,
    body: dict[str, Any],
    *,
    key: str | None = None,
    device: str | None = "device-1",
    address: str = "203.0.113.7",
) -> Any:
    """POST a submission with an idempotency key, a device id and a client address (the one
    the gateway's assertion names)."""
    headers = {"Idempotency-Key": key or str(uuid.uuid4())}
    if device is not None:
        headers["X-Device-Id"] = device
    return await client.post(
        f"{PREFIX}/feedback",
        json=body,
        headers=headers,
        auth=AsGateway("feedback", client_address=address),
    )


async def track(client: AsyncClient, code: str, *, address: str = "203.0.113.7") -> Any:
    """Follow a submission by its tracking code (sent in the body), from a client address."""
    return await client.post(
        f"{PREFIX}/track",
        json={"tracking_code": code},
        auth=AsGateway("feedback", client_address=address),
    )


async def withdraw(client: AsyncClient, code: str) -> Any:
    """Withdraw a submission by its tracking code."""
    return await client.post(f"{PREFIX}/track/withdraw", json={"tracking_code": code})


async def reopen(client: AsyncClient, code: str, reason: str) -> Any:
    """Reopen a complaint by its tracking code."""
    return await client.post(
        f"{PREFIX}/track/reopen", json={"tracking_code": code, "reason": reason}
    )
