"""Every HTTP router of the service, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_appraisal.organisation.endpoints import router as organisation

ROUTERS: list[APIRouter] = [organisation]
