"""FastAPI dependencies of the webhooks service: its settings, the secret box and the clock.

All async: FastAPI runs a plain `def` dependency in a worker thread.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from fastapi import Depends, Request

from kinerja_shared.events.envelope import utcnow
from kinerja_webhooks.settings import WebhooksSettings
from kinerja_webhooks.signing import SecretBox


async def get_settings(request: Request) -> WebhooksSettings:
    """The settings of the app serving this request."""
    settings: WebhooksSettings = request.app.state.settings
    return settings


async def get_secret_box(request: Request) -> SecretBox:
    """The encryption of signing secrets of the app serving this request."""
    box: SecretBox = request.app.state.runtime.secret_box
    return box


async def current_time() -> datetime:
    """Now, in UTC (tests may override this dependency)."""
    return utcnow()


SettingsDep = Annotated[WebhooksSettings, Depends(get_settings)]
SecretBoxDep = Annotated[SecretBox, Depends(get_secret_box)]
Now = Annotated[datetime, Depends(current_time)]
