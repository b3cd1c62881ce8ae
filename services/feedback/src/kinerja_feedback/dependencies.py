"""FastAPI dependencies of the feedback service: its settings, secrets and clock (the runtime
is kinerja_shared.app.Runtime).

All async: FastAPI runs a plain `def` dependency in a worker thread, a hand-off that cost
more than the dependency itself on every request.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated

from fastapi import Depends, Request

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.settings import FeedbackSettings


async def get_settings(request: Request) -> FeedbackSettings:
    """The settings of the app serving this request."""
    settings: FeedbackSettings = request.app.state.settings
    return settings


async def get_secrets(request: Request) -> Secrets:
    """The encryption and hashing helper of the app serving this request."""
    secrets: Secrets = request.app.state.secrets
    return secrets


SettingsDep = Annotated[FeedbackSettings, Depends(get_settings)]
SecretsDep = Annotated[Secrets, Depends(get_secrets)]


async def current_time() -> datetime:
    """The current moment (aware, UTC), as a dependency that tests override."""
    return datetime.now(UTC)


Now = Annotated[datetime, Depends(current_time)]
