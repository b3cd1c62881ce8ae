"""The whole system starts: every service and the gateway answer and are ready."""

from __future__ import annotations

from pathlib import Path

import pytest

from support.common import eventually
from support.notes_service import namespace_of, unique
from support.system import running_system

pytestmark = pytest.mark.kafka

__all__ = ["unique"]


async def test_the_whole_system_starts_and_reports_ready(
    tmp_path: Path, kafka_bootstrap: str, unique: str
) -> None:
    async with (
        running_system(tmp_path, kafka_bootstrap, namespace_of(unique)) as system,
        system.client() as http,
    ):
        assert (await http.get("/health")).status_code == 200

        async def ready() -> bool:
            return (await http.get("/health/ready")).status_code == 200

        await eventually(ready, timeout=60, message="the system did not become ready")
