"""The whole system in one test: four services and the gateway on real sockets, real Kafka.

Each service gets its own database (its `<SERVICE>_DATABASE_URL`, else a SQLite file),
migrated from scratch with Alembic, and every topic lives in the test's own namespace. Each
service connects to Kafka as its own principal, with the ACLs `kinerja-events acls` grants
for that namespace, as in production (on the test broker; a broker of the user's own is used
with the credentials of the environment).
With `instances=2` each service runs twice (two uvicorn servers on their own ports sharing
the service's database and consumer groups, each with its own relay), and the gateway
balances between them; `RunningSystem.stop_instance` stops one of them in the middle.
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
from kinerja_shared.kafka_access import acls_for, grant
from kinerja_shared.runtime import ServiceRuntime
from kinerja_shared.settings import KafkaSettings
from kinerja_webhooks.main import create_app as webhooks_app
from kinerja_webhooks.settings import WebhooksSettings
from support.common import ROOT, database_url_for
from support.database import migrate
from support.kafka import principal_passwords
from support.servers import serve

SERVICES = {
    "appraisal": (AppraisalSettings, appraisal_app),
    "feedback": (FeedbackSettings, feedback_app),
    "reporting": (ReportingSettings, reporting_app),
    "webhooks": (WebhooksSettings, webhooks_app),
}


@dataclass
class RunningSystem:
    """Where everything runs, and the runtimes (for reading databases and Kafka stats).

    `urls` and `runtimes` name each service's first instance; `instance_urls` and
    `instance_runtimes` list them all."""

    gateway: str
    urls: dict[str, str]
    settings: dict[str, Any]
    runtimes: dict[str, ServiceRuntime] = field(default_factory=dict)
    namespace: str = ""
    instance_urls: dict[str, list[str]] = field(default_factory=dict)
    instance_runtimes: dict[str, list[ServiceRuntime]] = field(default_factory=dict)
    _stoppers: dict[tuple[str, int], AsyncExitStack] = field(default_factory=dict)

    def client(self, **kwargs: Any) -> httpx.AsyncClient:
        """An HTTP client pointed at the gateway."""
        return httpx.AsyncClient(base_url=self.gateway, timeout=30, **kwargs)

    async def stop_instance(self, name: str, index: int) -> None:
        """Stop one instance of a service as a deployment would: its uvicorn server finishes
        the requests in flight and its lifespan stops its relay and leaves its consumer groups.
        """
        await self._stoppers[name, index].aclose()


def service_settings(
    name: str, tmp_dir: Path, bootstrap: str, namespace: str, **overrides: Any
) -> Any:
    """Settings of one service for a system test."""
    settings_class, _ = SERVICES[name]
    passwords = principal_passwords()
    principal = (
        {"kafka_username": name, "kafka_password": passwords[name]} if name in passwords else {}
    )
    return settings_class(
        database_url=database_url_for(name, tmp_dir),
        kafka={"bootstrap_servers": bootstrap, "namespace": namespace, "partitions": 3},
        outbox_poll_seconds=0.05,
        consumer_retry_backoff_seconds=0.01,
        **principal,
        **overrides.get(name, {}),
    )


@asynccontextmanager
async def running_system(
    tmp_dir: Path, bootstrap: str, namespace: str, *, instances: int = 1, **overrides: Any
) -> AsyncIterator[RunningSystem]:
    """Start the services (`instances` of each) and the gateway; stop everything when the
    block ends."""
    if principal_passwords():
        admin = KafkaSettings(bootstrap_servers=bootstrap)
        await grant(admin, acls_for(namespace))
    async with AsyncExitStack() as stack:
        instance_urls: dict[str, list[str]] = {}
        all_settings: dict[str, Any] = {}
        instance_runtimes: dict[str, list[ServiceRuntime]] = {}
        stoppers: dict[tuple[str, int], AsyncExitStack] = {}
        for name, (_, factory) in SERVICES.items():
            settings = service_settings(name, tmp_dir, bootstrap, namespace, **overrides)
            # Alembic runs its own event loop: give it a thread.
            await asyncio.to_thread(
                migrate, ROOT / "services" / name / "alembic.ini", settings.database_url
            )
            all_settings[name] = settings
            for index in range(instances):
                app = factory(settings)
                instance_runtimes.setdefault(name, []).append(app.state.runtime)
                # Each instance on a stack of its own, so that a test can stop it early.
                own = await stack.enter_async_context(AsyncExitStack())
                instance_urls.setdefault(name, []).append(await own.enter_async_context(serve(app)))
                stoppers[name, index] = own
        gateway_settings = GatewaySettings(
            appraisal_url=",".join(instance_urls["appraisal"]),
            feedback_url=",".join(instance_urls["feedback"]),
            reporting_url=",".join(instance_urls["reporting"]),
            webhooks_url=",".join(instance_urls["webhooks"]),
            kafka={"bootstrap_servers": bootstrap},
            **overrides.get("gateway", {}),
        )
        all_settings["gateway"] = gateway_settings
        gateway = await stack.enter_async_context(serve(gateway_app(gateway_settings)))
        yield RunningSystem(
            gateway=gateway,
            urls={name: found[0] for name, found in instance_urls.items()},
            settings=all_settings,
            runtimes={name: found[0] for name, found in instance_runtimes.items()},
            namespace=namespace,
            instance_urls=instance_urls,
            instance_runtimes=instance_runtimes,
            _stoppers=stoppers,
        )
