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
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Header, Path, Query, Request
from fastapi.responses import JSONResponse
from pydantic import ValidationError
from sqlalchemy import select
from sqlmodel import col

from kinerja_feedback.crypto import Secrets
from kinerja_feedback.dependencies import Now, SecretsDep, SettingsDep
from kinerja_feedback.directory import service as directory
from kinerja_feedback.domain.survey import SURVEY
from kinerja_feedback.domain.wita import parse_moment, wita_date
from kinerja_feedback.models import Feedback, ServicePoint
from kinerja_feedback.service_points import repository as points
from kinerja_feedback.settings import FeedbackSettings
from kinerja_feedback.submissions import service as submissions
from kinerja_feedback.submissions.schemas import FeedbackCreate
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.gateway_assertion import ClientAddress
from kinerja_shared.problems import FieldError, InvalidInput, ResourceNotFound, problem_responses
from kinerja_shared.runtime import ServiceRuntime

router = APIRouter(tags=["open311"])

CLOSED = {"resolved", "rejected"}


async def _service(session: Any, point: ServicePoint) -> dict[str, Any]:
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


@router.get("/services.json", summary="GeoReport v2: service list")
async def services(session: SessionDep) -> list[dict[str, Any]]:
    """Every active service point as an Open311 service."""
    return [await _service(session, p) for p in await points.all_active(session)]


@router.get(
    "/services/{service_code}.json",
    summary="GeoReport v2: service definition",
    responses=problem_responses(404),
)
async def service_definition(service_code: str, session: SessionDep) -> dict[str, Any]:
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


def _request_body(
    form: dict[str, Any], today: date
) -> tuple[FeedbackCreate, tuple[float, float] | None]:
    errors: list[FieldError] = []
    known = {
        "service_code",
        "lat",
        "long",
        "address_string",
        "address_id",
        "email",
        "device_id",
        "account_id",
        "first_name",
        "last_name",
        "phone",
        "description",
        "media_url",
        "jurisdiction_id",
    }
    answers: dict[str, int] = {}
    for key, value in form.items():
        if key.startswith("attribute[") and key.endswith("]"):
            code = key[len("attribute[") : -1]
            if code not in SURVEY.codes or str(value) not in {"1", "2", "3", "4"}:
                errors.append(
                    FieldError(field=f"body.{key}", detail="an SKM element U1..U9 with 1..4")
                )
            else:
                answers[code] = int(value)
        elif key not in known:
            errors.append(FieldError(field=f"body.{key}", detail="unknown field"))
    location = None
    try:
        if form.get("lat") not in (None, "") or form.get("long") not in (None, ""):
            lat, lon = float(form["lat"]), float(form["long"])
            if not (-90 <= lat <= 90 and -180 <= lon <= 180):
                raise ValueError
            location = (lat, lon)
    except (KeyError, TypeError, ValueError):
        errors.append(FieldError(field="body.lat", detail="lat and long must be valid coordinates"))
    if not form.get("service_code"):
        errors.append(FieldError(field="body.service_code", detail="required"))
    if errors:
        raise InvalidInput(f"{len(errors)} field(s) are invalid", errors=errors)
    email, phone = form.get("email") or None, form.get("phone") or None
    name = " ".join(str(form[k]) for k in ("first_name", "last_name") if form.get(k)) or None
    payload = {
        "service_point": str(form["service_code"]),
        "visit_date": today.isoformat(),
        "answers": answers,
        "comment": form.get("description") or None,
        "channel": "web",
        "is_complaint": True,
        "contact": {"name": name, "phone": phone, "email": email} if (email or phone) else None,
    }
    try:
        return FeedbackCreate.model_validate(payload), location
    except ValidationError as exc:
        raise InvalidInput(
            "the request is invalid",
            errors=[
                FieldError(
                    field="body." + ".".join(str(p) for p in e["loc"]) if e["loc"] else "body",
                    detail=e["msg"],
                )
                for e in exc.errors()
            ],
        ) from exc


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
    body, location = _request_body(form, wita_date(now))
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
    return JSONResponse(
        [
            {
                "service_request_id": stored.body["feedback_id"],
                "tracking_code": stored.body["tracking_code"],
                "service_notice": "Pengaduan diterima; tanggapan pertama paling lambat "
                f"{stored.body['complaint']['first_response_due']}.",
                "account_id": None,
            }
        ],
        status_code=stored.status,
    )


OPEN311_FIELDS = {"body.service_point": "body.service_code", "body.comment": "body.description"}


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
        runtime.sessions,
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
    session: Any, f: Feedback, point: ServicePoint | None, settings: FeedbackSettings
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
    stmt = select(Feedback).where(col(Feedback.is_complaint).is_(True))
    if service_request_id:
        ids = [i.strip() for i in service_request_id.split(",") if i.strip()]
        if len(ids) > MAX_IDS:
            raise InvalidInput(
                f"ask for at most {MAX_IDS} ids at once", field="query.service_request_id"
            )
        stmt = stmt.where(col(Feedback.id).in_(ids))
    if service_code:
        point = await points.by_slug(session, service_code)
        stmt = stmt.where(col(Feedback.service_point_id) == (point.id if point else ""))
    start = _moment(start_date, "query.start_date")
    end = _moment(end_date, "query.end_date", end_of_day=True)
    if start is not None:
        stmt = stmt.where(col(Feedback.submitted_at) >= start)
    if end is not None:
        stmt = stmt.where(col(Feedback.submitted_at) <= end)
    rows = list(await session.scalars(stmt.order_by(col(Feedback.submitted_at).desc()).limit(1000)))
    result = []
    for f in rows:
        point = await session.get(ServicePoint, f.service_point_id)
        item = await _as_request(session, f, point, settings)
        if status is None or item["status"] in status.split(","):
            result.append(item)
    return result


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
    found = (
        await session.scalars(
            select(Feedback).where(
                col(Feedback.id) == service_request_id, col(Feedback.is_complaint).is_(True)
            )
        )
    ).first()
    if found is None:
        raise ResourceNotFound("no such service request", field="path.service_request_id")
    point = await session.get(ServicePoint, found.service_point_id)
    return [await _as_request(session, found, point, settings)]
