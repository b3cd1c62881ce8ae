"""Open311 GeoReport v2 (JSON) over the same data: services are service points, requests
are complaints.

`service_request_id` is the submission's public id, which grants nothing; the tracking code
(the citizen's secret for following, withdrawing and reopening) is returned once, to the
submitter, as the extension field `tracking_code` of the POST response. Public listings show
the service point's location, or the citizen's rounded (`FEEDBACK_PUBLIC_COORDINATE_DECIMALS`),
never the exact spot the citizen gave.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.directory import service as directory
from kinerja_feedback.domain.survey import SURVEY
from kinerja_feedback.domain.wita import parse_moment, wita_date
from kinerja_feedback.models import Feedback, ServicePoint
from kinerja_feedback.open311 import repository
from kinerja_feedback.open311.schemas import OPEN311_FIELDS, request_body
from kinerja_feedback.service_points import repository as points
from kinerja_feedback.settings import FeedbackSettings
from kinerja_feedback.submissions import service as submissions
from kinerja_feedback.submissions.schemas import FeedbackCreate
from kinerja_shared.problems import InvalidInput, ResourceNotFound
from kinerja_shared.runtime import ServiceRuntime

CLOSED = {"resolved", "rejected"}


async def _service(session: AsyncSession, point: ServicePoint) -> dict[str, Any]:
    unit = await directory.get_unit(session, point.unit_id)
    return {
        "service_code": point.slug,
        "service_name": point.name,
        "description": f"Pengaduan dan survei kepuasan: {point.name}",
        "metadata": True,
        "type": "realtime",
        "keywords": ",".join(point.service_types),
        "group": unit.name if unit else point.unit_id,
    }


async def services(session: AsyncSession) -> list[dict[str, Any]]:
    """Every active service point as an Open311 service."""
    return [await _service(session, p) for p in await points.all_active(session)]


async def service_definition(session: AsyncSession, service_code: str) -> dict[str, Any]:
    """The attributes a request may carry: the nine SKM elements (optional, 1..4)."""
    point = await points.by_slug(session, service_code)
    if point is None or not point.active:
        raise ResourceNotFound("no such service_code", field="path.service_code")
    attributes = [
        {
            "variable": True,
            "code": element.code.value,
            "datatype": "singlevaluelist",
            "required": False,
            "datatype_description": "Skor 1-4",
            "order": order,
            "description": element.question,
            "values": [
                {"key": str(i + 1), "name": label} for i, label in enumerate(element.labels)
            ],
        }
        for order, element in enumerate(SURVEY.elements, start=1)
    ]
    return {"service_code": point.slug, "attributes": attributes}


async def create_request(
    runtime: ServiceRuntime,
    settings: FeedbackSettings,
    secrets: Secrets,
    *,
    form: dict[str, Any],
    idempotency_key: str | None,
    client_address: str | None,
    now: datetime,
) -> tuple[list[dict[str, Any]], int]:
    """Store an Open311 request as a complaint (the submission's use case); the answer's
    body and status."""
    body, location = request_body(form, wita_date(now))
    key = str(uuid.uuid4())
    if idempotency_key is not None:
        try:
            key = str(uuid.UUID(idempotency_key))
        except ValueError as exc:
            raise InvalidInput(
                "Idempotency-Key must be a UUID", field="header.Idempotency-Key"
            ) from exc
    try:
        stored = await _submit(
            runtime, settings, secrets, body, key, form, client_address, now, location
        )
    except InvalidInput as exc:
        # Name fields as an Open311 client sent them.
        for error in exc.errors or []:
            error.field = OPEN311_FIELDS.get(error.field, error.field)
        raise
    return [
        {
            "service_request_id": stored.body["feedback_id"],
            "tracking_code": stored.body["tracking_code"],
            "service_notice": "Pengaduan diterima; tanggapan pertama paling lambat "
            f"{stored.body['complaint']['first_response_due']}.",
            "account_id": None,
        }
    ], stored.status


async def _submit(
    runtime: ServiceRuntime,
    settings: FeedbackSettings,
    secrets: Secrets,
    body: FeedbackCreate,
    key: str,
    form: dict[str, Any],
    client_address: str | None,
    now: datetime,
    location: tuple[float, float] | None,
) -> submissions.StoredResponse:
    return await submissions.submit_feedback(
        runtime.group_commit,
        runtime.outbox,
        settings=settings,
        secrets=secrets,
        body=body,
        idempotency_key=key,
        origin=submissions.Origin(
            device_id=str(form["device_id"]) if form.get("device_id") else None,
            client_address=client_address,
        ),
        now=now,
        channel="open311",
        location=location,
    )


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _public_location(
    f: Feedback, point: ServicePoint | None, decimals: int
) -> tuple[float | None, float | None]:
    if point is not None and point.latitude is not None and point.longitude is not None:
        return point.latitude, point.longitude
    if f.latitude is None or f.longitude is None:
        return None, None
    return round(f.latitude, decimals), round(f.longitude, decimals)


async def _as_request(
    session: AsyncSession, f: Feedback, point: ServicePoint | None, settings: FeedbackSettings
) -> dict[str, Any]:
    unit = await directory.get_unit(session, f.unit_id)
    published = f.comment_redacted if f.moderation_status == "approved" else None
    lat, long = _public_location(f, point, settings.public_coordinate_decimals)
    return {
        "service_request_id": f.id,
        "status": "closed" if (f.complaint_status in CLOSED or f.withdrawn_at) else "open",
        "status_notes": "withdrawn" if f.withdrawn_at else f.complaint_status,
        "service_name": point.name if point else None,
        "service_code": point.slug if point else None,
        "description": published,
        "agency_responsible": unit.name if unit else f.unit_id,
        "service_notice": None,
        "requested_datetime": _iso(f.submitted_at),
        "updated_datetime": _iso(f.updated_at),
        "expected_datetime": f.resolution_due.isoformat() if f.resolution_due else None,
        "address": point.address if point else None,
        "address_id": None,
        "zipcode": None,
        "lat": lat,
        "long": long,
        "media_url": None,
    }


#: The most ids one listing may ask for.
MAX_IDS = 50


def _moment(value: str | None, field: str, *, end_of_day: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        return parse_moment(value, end_of_day=end_of_day)
    except ValueError as exc:
        raise InvalidInput(
            "expected an ISO 8601 date or date-time (without an offset it is read as WITA)",
            field=field,
        ) from exc


async def list_requests(
    session: AsyncSession,
    settings: FeedbackSettings,
    *,
    service_request_id: str | None,
    service_code: str | None,
    start_date: str | None,
    end_date: str | None,
    status: str | None,
) -> list[dict[str, Any]]:
    """Complaints, newest first (at most 1000), by ids, service, date range and status."""
    ids = None
    if service_request_id:
        ids = [i.strip() for i in service_request_id.split(",") if i.strip()]
        if len(ids) > MAX_IDS:
            raise InvalidInput(
                f"ask for at most {MAX_IDS} ids at once", field="query.service_request_id"
            )
    point_id = None
    if service_code:
        point = await points.by_slug(session, service_code)
        point_id = point.id if point else ""
    start = _moment(start_date, "query.start_date")
    end = _moment(end_date, "query.end_date", end_of_day=True)
    rows = await repository.complaints(
        session, ids=ids, service_point_id=point_id, start=start, end=end, limit=1000
    )
    result = []
    for f in rows:
        point = await points.by_id(session, f.service_point_id)
        item = await _as_request(session, f, point, settings)
        if status is None or item["status"] in status.split(","):
            result.append(item)
    return result


async def get_request(
    session: AsyncSession, settings: FeedbackSettings, service_request_id: str
) -> list[dict[str, Any]]:
    """A list of one request, as the spec returns."""
    found = await repository.complaint(session, service_request_id)
    if found is None:
        raise ResourceNotFound("no such service request", field="path.service_request_id")
    point = await points.by_id(session, found.service_point_id)
    return [await _as_request(session, found, point, settings)]
