"""The pull API's change numbers are handed out in commit order under concurrent writers."""

from __future__ import annotations

import asyncio

from fastapi import FastAPI

from kinerja_appraisal.results.repository import take_numbers
from kinerja_shared.runtime import ServiceRuntime


async def test_a_second_writer_waits_for_the_first_and_commits_after_it(app: FastAPI) -> None:
    runtime: ServiceRuntime = app.state.runtime
    events: list[tuple[str, str, int]] = []
    first_took, release = asyncio.Event(), asyncio.Event()

    async def writer(name: str, hold: bool) -> None:
        async with runtime.sessions() as session, session.begin():
            number = (await take_numbers(session, 1))[0]
            events.append(("took", name, number))
            if hold:
                first_took.set()
                await release.wait()
        events.append(("committed", name, number))

    first = asyncio.create_task(writer("first", hold=True))
    await first_took.wait()
    second = asyncio.create_task(writer("second", hold=False))
    await asyncio.sleep(0.3)  # give the second writer time to reach the counter
    assert ("took", "second") not in [(e[0], e[1]) for e in events]
    release.set()
    await asyncio.gather(first, second)
    numbers = {name: number for kind, name, number in events if kind == "committed"}
    assert numbers["second"] == numbers["first"] + 1
    assert [e[1] for e in events if e[0] == "committed"] == ["first", "second"]
