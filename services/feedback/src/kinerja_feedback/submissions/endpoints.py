"""Route of the hot path: a citizen submits feedback (no account needed)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Body, Header
from fastapi.responses import JSONResponse

from kinerja_feedback.dependencies import Now, SecretsDep, SettingsDep
from kinerja_feedback.submissions import service
from kinerja_feedback.submissions.schemas import FeedbackCreate, FeedbackReceipt
from kinerja_shared.app import Runtime
from kinerja_shared.gateway_assertion import ClientAddress
from kinerja_shared.problems import InvalidInput, problem_responses

router = APIRouter(tags=["submissions"])


def parse_idempotency_key(raw: str | None) -> str:
    """The Idempotency-Key header as a canonical UUID; 422 when missing or malformed."""
    if raw is None:
        raise InvalidInput("the Idempotency-Key header is required", field="header.Idempotency-Key")
    try:
        return str(uuid.UUID(raw.strip()))
    except ValueError as exc:
        raise InvalidInput(
            "the Idempotency-Key header must be a UUID", field="header.Idempotency-Key"
        ) from exc


@router.post(
    "/feedback",
    status_code=201,
    response_model=FeedbackReceipt,
    summary="Submit feedback (idempotent by Idempotency-Key)",
    responses=problem_responses(409, 422, 429),
)
async def submit_feedback(
    body: Annotated[FeedbackCreate, Body()],
    runtime: Runtime,
    settings: SettingsDep,
    secrets: SecretsDep,
    now: Now,
    client_address: ClientAddress,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
    device_id: Annotated[str | None, Header(alias="X-Device-Id", max_length=200)] = None,
) -> JSONResponse:
    """Store the feedback and return what was stored with a tracking code.

    Resending the same Idempotency-Key returns the original response and stores nothing;
    the same key with a different body is a 409.
    """
    stored = await service.submit_feedback(
        runtime.group_commit,
        runtime.outbox,
        settings=settings,
        secrets=secrets,
        body=body,
        idempotency_key=parse_idempotency_key(idempotency_key),
        origin=service.Origin(device_id=device_id, client_address=client_address),
        now=now,
    )
    return JSONResponse(stored.body, status_code=stored.status)
