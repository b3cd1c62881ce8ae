"""Service points and staff by code, kept in memory per process for a short time.

Both change rarely (service points through service_points/service.py, staff through the
directory consumer) while every submission reads them. Each engine (one per app) has its own
cache; entries live `FeedbackSettings.reference_cache_seconds`, which bounds how long a change
made by another replica goes unseen. Changes made in this process clear the cache when they
are written and again when their transaction commits. Misses are never cached.
"""

from __future__ import annotations

import time
import weakref
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from kinerja_feedback.submissions import repository

_CHANGED = "kinerja_feedback.references_changed"


@dataclass(frozen=True)
class PointRef:
    """What a submission needs of a service point."""

    id: str
    slug: str
    name: str
    unit_id: str
    service_types: tuple[str, ...]
    staff_codes: tuple[str, ...]
    active: bool


@dataclass(frozen=True)
class StaffRef:
    """An active staff member by public staff code."""

    employee_id: str
    unit_id: str


class ReferenceCache:
    """Entries with their expiry (time.monotonic), by service point id or slug and staff code."""

    def __init__(self) -> None:
        self.points: dict[str, tuple[float, PointRef]] = {}
        self.staff: dict[str, tuple[float, StaffRef]] = {}

    def clear(self) -> None:
        """Forget every entry."""
        self.points.clear()
        self.staff.clear()


_CACHES: weakref.WeakKeyDictionary[Engine, ReferenceCache] = weakref.WeakKeyDictionary()


def _engine(session: AsyncSession) -> Engine:
    bind: Any = session.get_bind()
    return bind if isinstance(bind, Engine) else bind.engine


def _cache(session: AsyncSession) -> ReferenceCache:
    engine = _engine(session)
    cache = _CACHES.get(engine)
    if cache is None:
        cache = _CACHES[engine] = ReferenceCache()
    return cache


def references_changed(session: AsyncSession) -> None:
    """Clear this engine's cache now and again when the session's transaction commits."""
    _cache(session).clear()
    session.sync_session.info[_CHANGED] = _engine(session)


@event.listens_for(Session, "after_commit")
def _clear_after_commit(session: Session) -> None:
    engine = session.info.pop(_CHANGED, None)
    if engine is not None and (cache := _CACHES.get(engine)) is not None:
        cache.clear()


async def service_point(session: AsyncSession, ref: str, *, ttl: float) -> PointRef | None:
    """A service point by id or slug (the id wins), from the cache when fresh."""
    cache = _cache(session)
    now = time.monotonic()
    hit = cache.points.get(ref)
    if hit is not None and hit[0] > now:
        return hit[1]
    rows = await repository.points_by_id_or_slug(session, ref)
    if not rows:
        return None
    row = next((r for r in rows if r.id == ref), rows[0])
    point = PointRef(
        id=row.id,
        slug=row.slug,
        name=row.name,
        unit_id=row.unit_id,
        service_types=tuple(row.service_types),
        staff_codes=tuple(row.staff_codes),
        active=bool(row.active),
    )
    if ttl > 0:
        cache.points[ref] = (now + ttl, point)
    return point


async def staff_member(session: AsyncSession, code: str, *, ttl: float) -> StaffRef | None:
    """The active staff member with a public staff code, from the cache when fresh."""
    cache = _cache(session)
    now = time.monotonic()
    hit = cache.staff.get(code)
    if hit is not None and hit[0] > now:
        return hit[1]
    row = await repository.active_staff_by_code(session, code)
    if row is None:
        return None
    staff = StaffRef(employee_id=row.employee_id, unit_id=row.unit_id)
    if ttl > 0:
        cache.staff[code] = (now + ttl, staff)
    return staff
