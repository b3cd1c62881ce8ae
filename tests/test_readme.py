"""The README's "Try it with curl" commands, read from README.md and run as written against a
freshly started system: the one `make run` starts (the same apps and settings, the appraisal
demo organisation, FEEDBACK_SEED_DEMO=true), on the test's ports, database and topics.

The only change to the text is where the system listens: the README's 127.0.0.1:8000 (the
gateway) and 127.0.0.1:8002 (the feedback service) become the test's addresses."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlmodel import col

from kinerja_appraisal.models import Unit
from kinerja_appraisal.seed.service import seed_demo
from kinerja_feedback.demo.seed import KINDS
from kinerja_feedback.models import DirectoryUnit, Feedback, ServicePoint
from kinerja_shared.auth import issue_token
from kinerja_shared.settings import AuthSettings
from support.common import ROOT, eventually
from support.notes_service import namespace_of, unique
from support.readme import commands, run, try_it_block
from support.system import RunningSystem, running_system

pytestmark = pytest.mark.kafka

__all__ = ["unique"]


async def _served_units(system: RunningSystem) -> int:
    async with system.runtimes["appraisal"].sessions() as session:
        kind = col(Unit.kind)
        return int(await session.scalar(select(func.count()).where(kind.in_(list(KINDS)))) or 0)


async def _directory_arrived(system: RunningSystem) -> bool:
    """The feedback service's directory holds every unit of the organisation."""
    async with system.runtimes["appraisal"].sessions() as session:
        units = await session.scalar(select(func.count()).select_from(Unit))
    async with system.runtimes["feedback"].sessions() as session:
        arrived = await session.scalar(select(func.count()).select_from(DirectoryUnit))
    return bool(units) and arrived == units


async def _demo_seeded(system: RunningSystem) -> bool:
    """Every unit of a served kind has its demo point with its submissions, and reporting has
    an IKM per unit: what `make run` promises "within seconds"."""
    served = await _served_units(system)
    async with system.runtimes["feedback"].sessions() as session:
        points = await session.scalar(select(func.count()).select_from(ServicePoint))
        made = await session.scalar(select(func.count()).select_from(Feedback))
    per_point = system.settings["feedback"].seed_demo_submissions_per_point
    if points != served or made != served * per_point:
        return False
    token = issue_token(AuthSettings(), subject="readme", roles=["bkpsdm_admin", "analyst"])
    async with system.client(headers={"Authorization": f"Bearer {token}"}) as http:
        found = await http.get(f"/api/v1/reporting/ikm/units?period={date.today().year}")
        return found.status_code == 200 and found.json()["total"] > 0


async def test_the_readmes_try_it_commands_work_as_written(
    tmp_path: Path, kafka_bootstrap: str, unique: str
) -> None:
    found = commands(try_it_block(ROOT / "README.md"))
    work = tmp_path / "shell"
    work.mkdir()
    (work / ".venv").symlink_to(ROOT / ".venv")
    async with running_system(
        tmp_path, kafka_bootstrap, namespace_of(unique), feedback={"seed_demo": True}
    ) as system:
        runtime = system.runtimes["appraisal"]
        async with runtime.sessions() as session, session.begin():
            await seed_demo(session, outbox=runtime.outbox, today=date.today())
        await eventually(lambda: _directory_arrived(system), timeout=60, message="no directory")
        await eventually(lambda: _demo_seeded(system), timeout=60, message="no demo data")
        for command in found:
            command.text = command.text.replace("http://127.0.0.1:8000", system.gateway).replace(
                "http://127.0.0.1:8002", system.urls["feedback"]
            )
        ran = await asyncio.to_thread(run, found, cwd=work, work=work, timeout=60)
    failed = [
        f"{r.command.text}\n  status {r.status}, printed {r.stdout[:1500]!r} {r.stderr[:500]!r}"
        for r in ran
        if r.status != 0 or (r.command.shown and not r.command.matches(r.stdout))
    ]
    assert not failed, "\n".join(failed)
