"""FastAPI dependencies of the appraisal service: its settings and the clock (the runtime
and the session are kinerja_shared.app's).

All async: FastAPI runs a plain `def` dependency in a worker thread, a hand-off that cost
more than the dependency itself on every request.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.events.envelope import utcnow


async def get_settings(request: Request) -> AppraisalSettings:
    """The settings of the app serving this request."""
    settings: AppraisalSettings = request.app.state.settings
    return settings


async def current_time() -> datetime:
    """The moment of the request (UTC); endpoints pass it down to the use cases."""
    return utcnow()


SettingsDep = Annotated[AppraisalSettings, Depends(get_settings)]
Now = Annotated[datetime, Depends(current_time)]
