"""Open311 GeoReport v2 routes (JSON): services are service points, requests are complaints
(open311/service.py)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse

from kinerja_feedback.dependencies import Now, SecretsDep, SettingsDep
from kinerja_feedback.open311 import service
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.gateway_assertion import ClientAddress
from kinerja_shared.problems import InvalidInput, problem_responses

router = APIRouter(tags=["open311"])


@router.get("/services.json", summary="GeoReport v2: service list")
async def services(session: SessionDep) -> list[dict[str, Any]]:
    """Every active service point as an Open311 service."""
    return await service.services(session)


@router.get(
    "/services/{service_code}.json",
    summary="GeoReport v2: service definition",
    responses=problem_responses(404),
)
async def service_definition(service_code: str, session: SessionDep) -> dict[str, Any]:
    """The attributes a request may carry: the nine SKM elements (optional, 1..4)."""
    return await service.service_definition(session, service_code)


@router.post("/requests.json", status_code=201, summary="GeoReport v2: create a service request")
async def create_request(
    request: Request,
    runtime: Runtime,
    settings: SettingsDep,
    secrets: SecretsDep,
    now: Now,
    client_address: ClientAddress,
    idempotency_key: Annotated[str | None, Header(alias="Idempotency-Key")] = None,
) -> JSONResponse:
    """Form-encoded (as the spec) or JSON; stored as a complaint. Idempotency-Key is optional."""
    if request.headers.get("content-type", "").startswith("application/json"):
        try:
            raw = await request.json()
        except ValueError as exc:
            raise InvalidInput("the body is not JSON", field="body") from exc
        if not isinstance(raw, dict):
            raise InvalidInput("the body must be an object", field="body")
        form: dict[str, Any] = raw
    else:
        form = dict((await request.form()).items())
    body, status = await service.create_request(
        runtime,
        settings,
        secrets,
        form=form,
        idempotency_key=idempotency_key,
        client_address=client_address,
        now=now,
    )
    return JSONResponse(body, status_code=status)


@router.get("/requests.json", summary="GeoReport v2: service requests")
async def list_requests(
    session: SessionDep,
    settings: SettingsDep,
    service_request_id: Annotated[str | None, Query(max_length=2000)] = None,
    service_code: Annotated[str | None, Query(max_length=80)] = None,
    start_date: Annotated[str | None, Query(max_length=40)] = None,
    end_date: Annotated[str | None, Query(max_length=40)] = None,
    status: Annotated[str | None, Query(pattern=r"^(open|closed)(,(open|closed))?$")] = None,
) -> list[dict[str, Any]]:
    """Complaints, newest first (at most 1000). Dates are ISO 8601; without an offset they
    are WITA, and a bare end date includes its whole day."""
    return await service.list_requests(
        session,
        settings,
        service_request_id=service_request_id,
        service_code=service_code,
        start_date=start_date,
        end_date=end_date,
        status=status,
    )


@router.get(
    "/requests/{service_request_id}.json",
    summary="GeoReport v2: one service request",
    responses=problem_responses(404),
)
async def get_request(
    service_request_id: Annotated[str, Path(max_length=64)],
    session: SessionDep,
    settings: SettingsDep,
) -> list[dict[str, Any]]:
    """A list of one request, as the spec returns."""
    return await service.get_request(session, settings, service_request_id)
