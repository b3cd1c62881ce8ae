"""Use cases of service points: manage them (staff) and find them (public)."""

from __future__ import annotations

import re
import uuid
from datetime import datetime

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback import access
from kinerja_feedback.directory import service as directory
from kinerja_feedback.models import ServicePoint
from kinerja_feedback.service_points import repository
from kinerja_feedback.service_points.geo import bounding_box, haversine_km
from kinerja_feedback.service_points.schemas import (
    ServicePointCreate,
    ServicePointPublic,
    ServicePointUpdate,
    StaffPublic,
)
from kinerja_feedback.submissions.reference_cache import references_changed
from kinerja_shared.auth import Identity
from kinerja_shared.events.types.feedback import ServicePointUpserted
from kinerja_shared.outbox import Outbox
from kinerja_shared.problems import Conflict, InvalidInput, ResourceNotFound


def slugify(name: str) -> str:
    """A URL-safe slug from a name ("Kantor Lurah Dauh Puri" -> "kantor-lurah-dauh-puri")."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:70] or "layanan"


async def _check_staff(session: AsyncSession, unit_id: str, codes: list[str]) -> list[str]:
    unique = list(dict.fromkeys(codes))
    known = {s.staff_code: s for s in await directory.staff_by_codes(session, unique)}
    for code in unique:
        if code not in known:
            raise InvalidInput(f"unknown staff code {code!r}", field="body.staff_codes")
        if known[code].unit_id != unit_id:
            raise InvalidInput(
                f"staff code {code!r} does not belong to the unit", field="body.staff_codes"
            )
    return unique


def _event(point: ServicePoint) -> ServicePointUpserted:
    return ServicePointUpserted(
        service_point_id=point.id,
        slug=point.slug,
        name=point.name,
        unit_id=point.unit_id,
        service_types=list(point.service_types),
        active=point.active,
    )


async def create_service_point(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity | None,
    data: ServicePointCreate,
    now: datetime,
) -> ServicePoint:
    """Create a service point of a known unit (identity None: system, e.g. the demo seed)."""
    if identity is not None:
        access.require_point_manager(identity, data.unit_id)
    if await directory.get_unit(session, data.unit_id) is None:
        raise InvalidInput(f"unknown unit {data.unit_id!r}", field="body.unit_id")
    staff_codes = await _check_staff(session, data.unit_id, data.staff_codes)
    slug = data.slug or slugify(data.name)
    if await repository.slug_taken(session, slug):
        if data.slug:
            raise Conflict(f"the slug {slug!r} is taken", field="body.slug")
        slug = f"{slug}-{uuid.uuid4().hex[:6]}"
    point = ServicePoint(
        id=str(uuid.uuid4()),
        slug=slug,
        name=data.name,
        unit_id=data.unit_id,
        kind=data.kind,
        address=data.address,
        latitude=data.latitude,
        longitude=data.longitude,
        service_types=list(dict.fromkeys(data.service_types)),
        staff_codes=staff_codes,
        active=data.active,
        created_at=now,
        updated_at=now,
    )
    session.add(point)
    await session.flush()
    references_changed(session)
    await outbox.add(session, _event(point))
    return point


async def update_service_point(
    session: AsyncSession,
    outbox: Outbox,
    *,
    identity: Identity,
    point_id: str,
    data: ServicePointUpdate,
    now: datetime,
) -> ServicePoint:
    """Change a service point's attributes."""
    point = await repository.by_id(session, point_id)
    if point is None:
        raise ResourceNotFound("no such service point")
    access.require_point_manager(identity, point.unit_id)
    changes = data.model_dump(exclude_unset=True)
    for name in ("name", "kind", "active", "service_types"):
        if changes.get(name) is None and name in changes:
            raise InvalidInput(f"{name} cannot be null", field=f"body.{name}")
    if "staff_codes" in changes:
        if changes["staff_codes"] is None:
            raise InvalidInput("staff_codes cannot be null", field="body.staff_codes")
        changes["staff_codes"] = await _check_staff(session, point.unit_id, changes["staff_codes"])
    if "service_types" in changes:
        changes["service_types"] = list(dict.fromkeys(changes["service_types"]))
    for name, value in changes.items():
        setattr(point, name, value)
    point.updated_at = now
    await session.flush()
    references_changed(session)
    await outbox.add(session, _event(point))
    return point


async def to_public(
    session: AsyncSession, point: ServicePoint, distance_km: float | None = None
) -> ServicePointPublic:
    """The public view of a service point, with its unit's name and its staff."""
    unit = await directory.get_unit(session, point.unit_id)
    staff = await directory.staff_by_codes(session, list(point.staff_codes))
    known = {s.staff_code for s in staff}
    return ServicePointPublic(
        id=point.id,
        slug=point.slug,
        name=point.name,
        kind=point.kind,
        unit_id=point.unit_id,
        unit_name=unit.name if unit else None,
        address=point.address,
        latitude=point.latitude,
        longitude=point.longitude,
        service_types=list(point.service_types),
        staff=[StaffPublic(staff_code=code) for code in point.staff_codes if code in known],
        active=point.active,
        distance_km=round(distance_km, 3) if distance_km is not None else None,
    )


async def find(session: AsyncSession, ref: str) -> ServicePoint:
    """A service point by id or slug; 404 when unknown."""
    point = await repository.by_id_or_slug(session, ref)
    if point is None:
        raise ResourceNotFound("no such service point")
    return point


async def search(
    session: AsyncSession,
    *,
    text: str | None,
    unit_id: str | None,
    lat: float | None,
    lon: float | None,
    radius_km: float,
    limit: int,
) -> list[ServicePointPublic]:
    """Search by name or unit name, by unit, and by distance (nearest first) from a location."""
    if (lat is None) != (lon is None):
        raise InvalidInput("give both lat and lon, or neither", field="query.lat")
    if lat is None or lon is None:
        points = await repository.search(session, text=text, unit_id=unit_id, box=None, limit=limit)
        return [await to_public(session, p) for p in points]
    box = bounding_box(lat, lon, radius_km)
    candidates = await repository.search(
        session, text=text, unit_id=unit_id, box=box, limit=max(limit * 20, 500)
    )
    near = [
        (haversine_km(lat, lon, p.latitude, p.longitude), p)
        for p in candidates
        if p.latitude is not None and p.longitude is not None
    ]
    near = sorted(((d, p) for d, p in near if d <= radius_km), key=lambda t: t[0])[:limit]
    return [await to_public(session, p, d) for d, p in near]


async def units_served(session: AsyncSession) -> set[str]:
    """The units that have a service point (active or not)."""
    return set(await repository.units_with_points(session))
