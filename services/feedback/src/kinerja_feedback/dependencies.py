"""FastAPI dependencies of the feedback service: its settings and its secrets."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.settings import FeedbackSettings


def get_settings(request: Request) -> FeedbackSettings:
    """The settings of the app serving this request."""
    settings: FeedbackSettings = request.app.state.settings
    return settings


def get_secrets(request: Request) -> Secrets:
    """The encryption and hashing helper of the app serving this request."""
    secrets: Secrets = request.app.state.secrets
    return secrets


SettingsDep = Annotated[FeedbackSettings, Depends(get_settings)]
SecretsDep = Annotated[Secrets, Depends(get_secrets)]
