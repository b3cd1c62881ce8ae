"""The whole system in one test: three services and the gateway on real sockets, real Kafka.

Each service gets its own database (its `<SERVICE>_DATABASE_URL`, else a SQLite file),
migrated from scratch with Alembic, and every topic lives in the test's own namespace.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from kinerja_appraisal.main import create_app as appraisal_app
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_feedback.main import create_app as feedback_app
from kinerja_feedback.settings import FeedbackSettings
from kinerja_gateway.main import create_app as gateway_app
from kinerja_gateway.settings import GatewaySettings
from kinerja_reporting.main import create_app as reporting_app
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.runtime import ServiceRuntime
from support.common import ROOT, database_url_for
from support.database import migrate
from support.servers import serve

SERVICES = {
    "appraisal": (AppraisalSettings, appraisal_app),
    "feedback": (FeedbackSettings, feedback_app),
    "reporting": (ReportingSettings, reporting_app),
}


@dataclass
class RunningSystem:
    """Where everything runs, and the runtimes (for reading databases and Kafka stats)."""

    gateway: str
    urls: dict[str, str]
    settings: dict[str, Any]
    runtimes: dict[str, ServiceRuntime] = field(default_factory=dict)
    namespace: str = ""

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An HTTP client pointed at the gateway."""
        return httpx.AsyncClient(base_url=self.gateway, timeout=30, **kwargs)


def service_settings(
    name: str, tmp_dir: Path, bootstrap: str, namespace: str, **overrides: Any
) -> Any:
    """Settings of one service for a system test."""
    settings_class, _ = SERVICES[name]
    return settings_class(
        database_url=database_url_for(name, tmp_dir),
        kafka={"bootstrap_servers": bootstrap, "namespace": namespace, "partitions": 3},
        outbox_poll_seconds=0.05,
        consumer_retry_backoff_seconds=0.01,
        **overrides.get(name, {}),
    )


@asynccontextmanager
async def running_system(
    tmp_dir: Path, bootstrap: str, namespace: str, **overrides: Any
) -> AsyncIterator[RunningSystem]:
    """Start the services and the gateway; stop everything when the block ends."""
    async with AsyncExitStack() as stack:
        urls: dict[str, str] = {}
        all_settings: dict[str, Any] = {}
        runtimes: dict[str, ServiceRuntime] = {}
        for name, (_, factory) in SERVICES.items():
            settings = service_settings(name, tmp_dir, bootstrap, namespace, **overrides)
            # Alembic runs its own event loop: give it a thread.
            await asyncio.to_thread(
                migrate, ROOT / "services" / name / "alembic.ini", settings.database_url
            )
            app = factory(settings)
            runtimes[name] = app.state.runtime
            all_settings[name] = settings
            urls[name] = await stack.enter_async_context(serve(app))
        gateway_settings = GatewaySettings(
            appraisal_url=urls["appraisal"],
            feedback_url=urls["feedback"],
            reporting_url=urls["reporting"],
            kafka={"bootstrap_servers": bootstrap},
            **overrides.get("gateway", {}),
        )
        all_settings["gateway"] = gateway_settings
        gateway = await stack.enter_async_context(serve(gateway_app(gateway_settings)))
        yield RunningSystem(
            gateway=gateway,
            urls=urls,
            settings=all_settings,
            runtimes=runtimes,
            namespace=namespace,
        )
