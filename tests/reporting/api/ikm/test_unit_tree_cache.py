"""The unit tree cached per process: one statement per unit report, never a stale tree."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import httpx
from reporting.feeding import Feeder, all_nine, feedback, service_point, unit
from sqlalchemy import event

from kinerja_reporting.models import metadata
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.runtime import ServiceRuntime
from support.database import empty_tables

URL = "/api/v1/reporting/ikm/units"


@contextmanager
def statements(runtime: ServiceRuntime) -> Iterator[list[str]]:
    """The SQL statements the runtime's engine runs inside the block."""
    seen: list[str] = []

    def record(*args: object) -> None:
        seen.append(str(args[2]))

    engine = runtime.engine.sync_engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", record)


async def _units(client: httpx.AsyncClient, unit_id: str, headers: dict[str, str]) -> list[str]:
    response = await client.get(f"{URL}/{unit_id}", params={"period": "2026"}, headers=headers)
    assert response.status_code == 200, response.text
    units: list[str] = response.json()["units"]
    return units


async def test_a_unit_report_is_one_statement_once_the_tree_is_cached(
    client: httpx.AsyncClient, feeder: Feeder, runtime: ServiceRuntime, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("root"), unit("u1", "root"), service_point("sp1", "u1"))
    await feeder.send(feedback("sp1", "u1", all_nine(3)))
    assert await _units(client, "root", analyst) == ["root", "u1"]
    with statements(runtime) as seen:
        assert await _units(client, "root", analyst) == ["root", "u1"]
    assert len(seen) == 1, seen


async def test_a_moved_unit_is_in_the_next_report(
    client: httpx.AsyncClient, feeder: Feeder, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("root"), unit("a", "root"), unit("b", "root"), unit("c", "a"))
    assert await _units(client, "a", analyst) == ["a", "c"]
    await feeder.send(unit("c", "b"))
    assert await _units(client, "a", analyst) == ["a"]
    assert await _units(client, "b", analyst) == ["b", "c"]
    await feeder.send(unit("d", "b"))
    assert await _units(client, "root", analyst) == ["a", "b", "c", "d", "root"]


async def test_a_tree_emptied_and_built_again_is_never_served_from_the_old_copy(
    client: httpx.AsyncClient, feeder: Feeder, settings: ReportingSettings, analyst: dict[str, str]
) -> None:
    await feeder.send(unit("root"), unit("a", "root"))
    assert await _units(client, "root", analyst) == ["a", "root"]
    # What a rebuild does: every read model emptied, then the events applied again.
    await empty_tables(settings.database_url, metadata)
    gone = await client.get(f"{URL}/root", params={"period": "2026"}, headers=analyst)
    assert gone.status_code == 404
    await feeder.send(unit("root"), unit("b", "root"))
    assert await _units(client, "root", analyst) == ["b", "root"]
