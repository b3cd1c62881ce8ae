"""FastAPI dependencies of the reporting service: its settings and the clock (the runtime is
kinerja_shared.app.Runtime).

All async: FastAPI runs a plain `def` dependency in a worker thread, a hand-off that cost
more than the dependency itself on every request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from kinerja_reporting.settings import ReportingSettings


async def get_settings(request: Request) -> ReportingSettings:
    """The settings of the app serving this request."""
    settings: ReportingSettings = request.app.state.settings
    return settings


async def current_time() -> datetime:
    """The current moment (aware, UTC); tests override it."""
    return datetime.now(UTC)


SettingsDep = Annotated[ReportingSettings, Depends(get_settings)]
Now = Annotated[datetime, Depends(current_time)]
