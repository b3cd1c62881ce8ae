"""HTTP routes of the rebuild (BKPSDM administrators only)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from kinerja_reporting.access import require_admin
from kinerja_reporting.rebuild import service
from kinerja_shared.app import Runtime
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import problem_responses

router = APIRouter(prefix="/admin", tags=["admin"], responses=problem_responses(401, 403, 409))


@router.post("/rebuild", status_code=202, summary="Rebuild the read models from the topics")
async def start_rebuild(
    request: Request, runtime: Runtime, identity: CurrentIdentity
) -> JSONResponse:
    """Drop the read models and replay both topics from the beginning, in the background."""
    require_admin(identity)
    progress = service.start_rebuild(request.app.state, runtime)
    return JSONResponse(progress.public() | {"state": "running"}, status_code=202)


@router.get("/rebuild", summary="Progress of the last rebuild")
async def get_rebuild(request: Request, identity: CurrentIdentity) -> dict[str, Any]:
    """Events to replay, replayed, failed, elapsed seconds and the rate."""
    require_admin(identity)
    return service.progress_of(request.app.state).public()
