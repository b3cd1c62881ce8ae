"""FastAPI dependencies of the service."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from kinerja_appraisal.settings import AppraisalSettings


def _settings(request: Request) -> AppraisalSettings:
    settings: AppraisalSettings = request.app.state.settings
    return settings


Settings = Annotated[AppraisalSettings, Depends(_settings)]
