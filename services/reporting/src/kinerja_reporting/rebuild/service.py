"""Starting a rebuild in the background and reading its progress (the replay itself is the
write side's: ``projections/rebuild.py``)."""

from __future__ import annotations

import asyncio
from typing import Any

from kinerja_reporting.projections.rebuild import rebuild
from kinerja_reporting.rebuild.schemas import RebuildProgress
from kinerja_shared.problems import Conflict
from kinerja_shared.runtime import ServiceRuntime


def progress_of(state: Any) -> RebuildProgress:
    """The progress of the last rebuild of an app (``app.state``), idle before the first."""
    found = getattr(state, "rebuild_progress", None)
    if found is None:
        found = RebuildProgress()
        state.rebuild_progress = found
    assert isinstance(found, RebuildProgress)
    return found


def start_rebuild(state: Any, runtime: ServiceRuntime) -> RebuildProgress:
    """Start a rebuild in the background unless one is running; returns its progress."""
    progress = progress_of(state)
    if progress.state == "running":
        raise Conflict("a rebuild is already running; follow it at GET /admin/rebuild")
    progress.state = "running"
    state.rebuild_task = asyncio.create_task(rebuild(runtime, progress), name="rebuild")
    return progress
