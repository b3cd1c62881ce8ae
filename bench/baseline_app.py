"""The bare baseline of the ingestion benchmark: FastAPI validating the same body, nothing else.

Served by uvicorn exactly like the services: `uvicorn baseline_app:app` from bench/.
It imports the feedback service's own request model, so the validation work is identical.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Body, FastAPI, Header
from fastapi.responses import JSONResponse

from kinerja_feedback.submissions.schemas import FeedbackCreate

app = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


@app.post("/api/v1/feedback/feedback", status_code=201)
async def submit(
    body: Annotated[FeedbackCreate, Body()],
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    return JSONResponse(
        {"service_point": body.service_point, "key": idempotency_key}, status_code=201
    )
