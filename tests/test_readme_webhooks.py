"""The README's webhooks commands, run as written against a freshly started system: a
development client subscribes the listener (`kinerja-webhooks listen`, in the background),
an appraisal event reaches it signed, and the owner sees it delivered and redelivers."""

from __future__ import annotations

import asyncio
import socket
from pathlib import Path

import pytest

from support.common import ROOT
from support.notes_service import namespace_of, unique
from support.readme import commands, run, try_it_block
from support.system import running_system

pytestmark = pytest.mark.kafka

__all__ = ["unique"]

HEADING = "### Push events to another system (webhooks)"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def test_the_readmes_webhook_commands_work_as_written(
    tmp_path: Path, kafka_bootstrap: str, unique: str
) -> None:
    found = commands(try_it_block(ROOT / "README.md", HEADING))
    work = tmp_path / "shell"
    work.mkdir()
    (work / ".venv").symlink_to(ROOT / ".venv")
    port = free_port()
    async with running_system(
        tmp_path,
        kafka_bootstrap,
        namespace_of(unique),
        webhooks={"delivery_poll_seconds": 0.1, "retry_first_seconds": 0.5},
    ) as system:
        for command in found:
            command.text = (
                command.text.replace("http://127.0.0.1:8000", system.gateway)
                .replace("127.0.0.1:9000", f"127.0.0.1:{port}")
                .replace("--port 9000", f"--port {port}")
            )
        ran = await asyncio.to_thread(run, found, cwd=work, work=work, timeout=90)
    failed = [
        f"{r.command.text}\n  status {r.status}, printed {r.stdout[:1500]!r} {r.stderr[:500]!r}"
        for r in ran
        if r.status != 0 or (r.command.shown and not r.command.matches(r.stdout))
    ]
    assert not failed, "\n".join(failed)
    [listener] = [r for r in ran if "kinerja-webhooks listen" in r.command.text]
    printed = (work / f"{ran.index(listener)}.out").read_text()
    assert "id.denpasar.kinerja.unit.upserted.v1" in printed
    assert "401 refused" not in printed  # a bare "401" can be part of the port number
