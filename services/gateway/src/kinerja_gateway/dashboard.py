"""Composite views assembled from several services in parallel, degrading to partial results.

Each part is `<service>:<path template>` from settings (`GATEWAY_DASHBOARD_EMPLOYEE_PARTS`,
`GATEWAY_DASHBOARD_UNIT_PARTS`); the caller's token goes to each service, which decides what
the caller may see. A part that fails is `null` and named in `notes`.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any

import httpx
from fastapi import APIRouter, Path, Query, Request
from pydantic import BaseModel, Field

from kinerja_gateway.access import STAFF_ROLES, Caller, authenticate, authorise
from kinerja_gateway.components import Components, GatewayComponents, Instance
from kinerja_gateway.proxy import FAILURE_STATUSES
from kinerja_gateway.routing import API_PREFIX, SCOPE_FAMILIES
from kinerja_shared.auth import Role
from kinerja_shared.context import request_id_var
from kinerja_shared.gateway_assertion import CLIENT_ADDRESS_EXTENSION
from kinerja_shared.problems import NotPermitted, problem_responses

router = APIRouter(tags=["dashboard"])
ID_PATTERN = r"^[A-Za-z0-9._-]{1,64}$"
PERIOD_PATTERN = r"^[0-9]{4}(-Q[1-4]|-(0[1-9]|1[0-2]))?$"
PeriodParam = Annotated[
    str | None,
    Query(pattern=PERIOD_PATTERN, description="2026, 2026-Q1 or 2026-03; default: this year"),
]


def _period_values(period: str | None) -> dict[str, str]:
    period = period or str(datetime.now(UTC).year)
    return {"period": period, "year": period[:4]}


class Dashboard(BaseModel):
    """A composite view: each part as its service returned it, or null with a note."""

    subject: dict[str, str]
    parts: dict[str, Any]
    notes: list[str] = Field(description="One line per part that is missing, and why.")
    complete: bool


@dataclass(frozen=True)
class _Part:
    name: str
    service: str
    path: str


def _parts(templates: dict[str, str], values: dict[str, str]) -> list[_Part]:
    parts: list[_Part] = []
    for name, spec in templates.items():
        service, _, template = spec.partition(":")
        parts.append(_Part(name=name, service=service, path=template.format(**values)))
    return parts


async def _fetch(
    components: GatewayComponents, caller: Caller, address: str, part: _Part
) -> tuple[Any, str | None]:
    target = components.upstreams.get(part.service)
    if target is None:
        return None, f"{part.name}: no service named {part.service} is configured"
    try:
        # The same coarse check as for the service's own routes (scopes of external systems).
        authorise(caller, scope_family=SCOPE_FAMILIES[part.service], method="GET", public=False)
    except NotPermitted as exc:
        return None, f"{part.name}: {exc.detail}"
    headers = {"accept": "application/json"}
    if caller.token:
        headers["authorization"] = f"Bearer {caller.token}"
    if request_id := request_id_var.get():
        headers["x-request-id"] = request_id
    timeout = components.settings.dashboard_part_timeout_seconds
    rotation = target.rotation()
    tried: Instance | None = None
    while True:
        instance = target.choose(rotation, tried)
        if instance is None:
            if tried is not None:
                return None, f"{part.name}: the {part.service} service is unavailable"
            return None, f"{part.name}: the {part.service} service is unavailable (circuit open)"
        try:
            async with asyncio.timeout(timeout):
                response = await instance.http.get(
                    part.path, headers=headers, extensions={CLIENT_ADDRESS_EXTENSION: address}
                )
        except (TimeoutError, httpx.TimeoutException) as exc:
            instance.breaker.record_failure()
            if isinstance(exc, httpx.ConnectTimeout) and tried is None:
                tried = instance  # never connected: another instance may answer
                continue
            return (
                None,
                f"{part.name}: the {part.service} service did not answer within {timeout:g} s",
            )
        except httpx.HTTPError as exc:
            instance.breaker.record_failure()
            if isinstance(exc, httpx.ConnectError) and tried is None:
                tried = instance
                continue
            return None, f"{part.name}: the {part.service} service is unavailable"
        except BaseException:
            instance.breaker.release()
            raise
        break
    if response.status_code in FAILURE_STATUSES:
        instance.breaker.record_failure()
        return None, f"{part.name}: the {part.service} service answered {response.status_code}"
    instance.breaker.record_success()
    if response.status_code == 404:
        return None, f"{part.name}: not found in the {part.service} service"
    if response.status_code in (401, 403):
        return None, f"{part.name}: the {part.service} service refused access"
    if response.status_code >= 400:
        return None, f"{part.name}: the {part.service} service answered {response.status_code}"
    try:
        return response.json(), None
    except ValueError:
        return None, f"{part.name}: the {part.service} service sent something that is not JSON"


async def _assemble(
    request: Request,
    components: GatewayComponents,
    templates: dict[str, str],
    subject: dict[str, str],
) -> Dashboard:
    address = components.client_address(request)
    components.limit_address(address)
    caller = await authenticate(
        request, verifier=components.verifier, app_keys=components.settings.app_keys, public=False
    )
    components.limit_client(caller, address)
    identity = caller.identity
    if identity is None or not identity.has_role(*STAFF_ROLES, Role.EXTERNAL_SYSTEM):
        raise NotPermitted("dashboards are for staff and registered systems")
    parts = _parts(templates, subject)
    results = await asyncio.gather(*(_fetch(components, caller, address, p) for p in parts))
    notes = [note for _, note in results if note]
    return Dashboard(
        subject=subject,
        parts={p.name: data for p, (data, _) in zip(parts, results, strict=True)},
        notes=notes,
        complete=not notes,
    )


@router.get(
    f"{API_PREFIX}/dashboard/employee/{{employee_id}}",
    summary="An employee's dashboard",
    response_model=Dashboard,
    responses=problem_responses(401, 403, 422, 429),
    openapi_extra={"security": [{"bearerAuth": []}, {"clientCredentials": []}]},
)
async def employee_dashboard(
    request: Request,
    components: Components,
    employee_id: Annotated[str, Path(pattern=ID_PATTERN)],
    period: PeriodParam = None,
) -> Dashboard:
    """Plans of the year, latest assessments, open objections and the citizen feedback
    summary of the period."""
    return await _assemble(
        request,
        components,
        components.settings.dashboard_employee_parts,
        {"employee_id": employee_id, **_period_values(period)},
    )


@router.get(
    f"{API_PREFIX}/dashboard/unit/{{unit_id}}",
    summary="A unit's dashboard",
    response_model=Dashboard,
    responses=problem_responses(401, 403, 422, 429),
    openapi_extra={"security": [{"bearerAuth": []}, {"clientCredentials": []}]},
)
async def unit_dashboard(
    request: Request,
    components: Components,
    unit_id: Annotated[str, Path(pattern=ID_PATTERN)],
    period: PeriodParam = None,
) -> Dashboard:
    """IKM trend, improvement flags and the predikat distribution of a unit."""
    return await _assemble(
        request,
        components,
        components.settings.dashboard_unit_parts,
        {"unit_id": unit_id, **_period_values(period)},
    )
