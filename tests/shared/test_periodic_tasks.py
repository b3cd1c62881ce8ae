"""A service runtime's periodic tasks: run every interval on the runtime's one clock, a failed
pass does not end them, /health/ready shows how their last passes went, and stopping the
runtime stops them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from typing import Any

import pytest

from kinerja_shared.runtime import PeriodicTask, ServiceRuntime
from support.common import eventually
from support.notes_service import make_settings, metadata, namespace_of

MOMENT = datetime(2026, 3, 6, 2, 0, tzinfo=UTC)


def runtime_with(database_url: str, unique: str, task: PeriodicTask) -> ServiceRuntime:
    settings = make_settings(database_url, "127.0.0.1:1", namespace_of(unique))
    settings.run_relay = False

    async def at_moment() -> datetime:
        return MOMENT

    return ServiceRuntime(settings, metadata, periodic=(task,), clock=at_moment)


async def test_a_periodic_task_runs_every_interval_at_the_runtimes_clock(
    database_url: str, unique: str
) -> None:
    seen: list[datetime] = []

    async def record(runtime: ServiceRuntime, now: datetime) -> None:
        seen.append(now)

    runtime = runtime_with(database_url, unique, PeriodicTask("record", 0.01, record))
    await runtime.start()
    try:
        await eventually(lambda: len(seen) >= 3)
    finally:
        await runtime.stop()
    assert set(seen) == {MOMENT}


async def test_a_failed_pass_is_logged_and_the_next_pass_runs(
    database_url: str, unique: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    passes = 0

    async def fail_first(runtime: ServiceRuntime, now: datetime) -> None:
        nonlocal passes
        passes += 1
        if passes == 1:
            raise RuntimeError("the database went away")

    runtime = runtime_with(database_url, unique, PeriodicTask("flaky", 0.01, fail_first))
    await runtime.start()
    try:
        await eventually(lambda: passes >= 2)
    finally:
        await runtime.stop()
    assert any(r.message == "periodic task failed" for r in caplog.records)


async def test_an_interval_of_zero_never_runs_the_task_but_it_can_be_run_once(
    database_url: str, unique: str
) -> None:
    passes = 0

    async def count(runtime: ServiceRuntime, now: datetime) -> None:
        nonlocal passes
        passes += 1

    runtime = runtime_with(database_url, unique, PeriodicTask("off", 0, count))
    await runtime.start()
    try:
        await asyncio.sleep(0)
        assert passes == 0
        await runtime.run_periodic("off")
    finally:
        await runtime.stop()
    assert passes == 1


async def test_readiness_shows_each_periodic_task_and_how_its_last_pass_went(
    database_url: str, unique: str
) -> None:
    failing = True

    async def flaky(runtime: ServiceRuntime, now: datetime) -> None:
        if failing:
            raise RuntimeError("the database went away")

    runtime = runtime_with(database_url, unique, PeriodicTask("flaky", 0.02, flaky))

    async def check() -> dict[str, Any]:
        found: dict[str, Any] = (await runtime.readiness())[1]["periodic:flaky"]
        return found

    await runtime.start()
    try:
        await eventually(lambda: _passes_at_least(check, 2), message="no failed passes")
        ready, checks = await runtime.readiness()
        failed = checks["periodic:flaky"]
        assert ready  # the task's work waits for its next pass; the process still serves
        assert (failed["status"], failed["last_error"], failed["last_success_at"]) == (
            "down",
            "RuntimeError",
            None,
        )
        assert failed["failed_in_a_row"] == failed["passes"] >= 2
        failing = False
        await eventually(lambda: _status_is(check, "up"), message="not up after a success")
        recovered = await check()
        assert recovered["last_success_at"] == MOMENT.isoformat()
        assert "failed_in_a_row" not in recovered
        assert "last_error" not in recovered
    finally:
        await runtime.stop()


async def test_a_task_that_never_runs_in_the_background_is_not_reported(
    database_url: str, unique: str
) -> None:
    async def nothing(runtime: ServiceRuntime, now: datetime) -> None:
        return None

    runtime = runtime_with(database_url, unique, PeriodicTask("off", 0, nothing))
    _, checks = await runtime.readiness()
    await runtime.stop()
    assert "periodic:off" not in checks


async def _passes_at_least(check: Callable[[], Awaitable[dict[str, Any]]], n: int) -> bool:
    return int((await check())["passes"]) >= n


async def _status_is(check: Callable[[], Awaitable[dict[str, Any]]], status: str) -> bool:
    return (await check())["status"] == status
