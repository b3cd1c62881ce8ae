"""SQL of submissions: idempotency look-ups, rate counters with the abuse context."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Integer, Row, bindparam, case, exists, func, insert, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.domain.attribution import AttributionPolicy, StaffHistory
from kinerja_feedback.models import (
    ComplaintEntry,
    DirectoryStaff,
    Feedback,
    RateCounter,
    ServicePoint,
)
from kinerja_shared.upsert import insert_for_dialect

_FEEDBACK_TABLE = Feedback.__table__  # type: ignore[attr-defined]
_FEEDBACK = _FEEDBACK_TABLE.c
_STAFF = DirectoryStaff.__table__.c  # type: ignore[attr-defined]
_POINT = ServicePoint.__table__.c  # type: ignore[attr-defined]


#: What `points_by_id_or_slug` reads: id, slug, name, unit, service types, staff codes, active.
PointRow = Row[Any, Any, Any, Any, Any, Any, Any]


async def points_by_id_or_slug(session: AsyncSession, ref: str) -> Sequence[PointRow]:
    """What a submission needs of the service points whose id or slug is `ref` (at most one
    of each)."""
    result = await session.execute(
        select(
            _POINT.id,
            _POINT.slug,
            _POINT.name,
            _POINT.unit_id,
            _POINT.service_types,
            _POINT.staff_codes,
            _POINT.active,
        ).where(or_(_POINT.id == ref, _POINT.slug == ref))
    )
    return result.all()


async def active_staff_by_code(session: AsyncSession, code: str) -> Row[Any, Any] | None:
    """Employee id and unit of the active staff member with a public staff code."""
    result = await session.execute(
        select(_STAFF.employee_id, _STAFF.unit_id)
        .where(_STAFF.staff_code == code, _STAFF.active.is_(True))
        .limit(1)
    )
    return result.first()


#: What `stored_response` reads: id, fingerprint, status, body, encrypted tracking code.
StoredRow = Row[Any, Any, Any, Any, Any]


async def stored_response(session: AsyncSession, key: str) -> StoredRow | None:
    """Id, fingerprint, status, body and encrypted tracking code stored under an idempotency
    key."""
    result = await session.execute(
        select(
            _FEEDBACK.id,
            _FEEDBACK.request_fingerprint,
            _FEEDBACK.response_status,
            _FEEDBACK.response_body,
            _FEEDBACK.tracking_code_encrypted,
        ).where(_FEEDBACK.idempotency_key == key)
    )
    return result.first()


async def insert_feedback(session: AsyncSession, row: dict[str, Any]) -> None:
    """Insert one submission row (Core, no ORM unit of work)."""
    await session.execute(insert(_FEEDBACK_TABLE), row)


async def insert_complaint_entry(session: AsyncSession, row: dict[str, Any]) -> None:
    """Insert one complaint history entry (Core)."""
    await session.execute(insert(ComplaintEntry.__table__), row)  # type: ignore[attr-defined]


@dataclass(frozen=True)
class AbuseQuery:
    """What the abuse context of a submission is read for (None: that part is not asked)."""

    address_hash: str | None
    since: datetime
    until: datetime
    limit: int
    duplicate_key: str | None

    def params(self) -> dict[str, Any]:
        """Bound values of the abuse parts asked."""
        params: dict[str, Any] = {}
        if self.address_hash is not None:
            params.update(
                address_hash=self.address_hash, since=self.since, until=self.until, limit=self.limit
            )
        if self.duplicate_key is not None:
            params["duplicate_key"] = self.duplicate_key
        return params


@functools.cache
def _abuse_parts(by_address: bool, by_duplicate: bool) -> tuple[Any, Any]:
    """Submissions from the address in (since, until] counted up to `limit`, and whether the
    duplicate key is taken: two scalar expressions, each bounded by an index, built once."""
    recent: Any = literal(0)
    duplicate: Any = literal(False)
    if by_address:
        window = (
            select(literal(1))
            .where(
                _FEEDBACK.address_hash == bindparam("address_hash"),
                _FEEDBACK.submitted_at > bindparam("since", type_=_FEEDBACK.submitted_at.type),
                _FEEDBACK.submitted_at <= bindparam("until", type_=_FEEDBACK.submitted_at.type),
            )
            .limit(bindparam("limit", type_=Integer()))
            .subquery()
        )
        recent = select(func.count()).select_from(window).scalar_subquery()
    if by_duplicate:
        duplicate = exists().where(
            _FEEDBACK.duplicate_key == bindparam("duplicate_key"),
            _FEEDBACK.withdrawn_at.is_(None),
        )
    return recent, duplicate


@functools.cache
def _bump_statement(dialect: str, by_address: bool, by_duplicate: bool) -> Any:
    """INSERT ... ON CONFLICT adding one to a counter and returning, with its new count, the
    abuse parts asked; built once per shape. Executed with one parameter set per counter:
    SQLAlchemy sends them as one multi-row statement ("insertmanyvalues"), and unlike a
    statement written with several VALUES rows, this one's compiled form is cached."""
    table = RateCounter.__table__  # type: ignore[attr-defined]
    return (
        insert_for_dialect(dialect, table)
        .values(
            scope=bindparam("scope", type_=table.c.scope.type),
            subject=bindparam("subject", type_=table.c.subject.type),
            window_start=bindparam("window_start", type_=table.c.window_start.type),
            count=1,
        )
        .on_conflict_do_update(
            index_elements=["scope", "subject", "window_start"],
            set_={"count": table.c.count + 1},
        )
        .returning(table.c.scope, table.c.count, *_abuse_parts(by_address, by_duplicate))
    )


async def bump_counters(
    session: AsyncSession, keys: list[tuple[str, str, datetime]], abuse: AbuseQuery
) -> tuple[dict[str, int], int, bool]:
    """Add one to each (scope, subject, window start) counter and read the abuse context, in
    one statement: the new counts by scope, the recent submissions from the address, and
    whether the duplicate key is taken (both as before this submission)."""
    if not keys:
        return {}, *(await abuse_context(session, abuse))
    context = abuse.params()
    params = [
        {"scope": scope, "subject": subject, "window_start": start, **context}
        for scope, subject, start in keys
    ]
    stmt = _bump_statement(
        session.get_bind().dialect.name,
        abuse.address_hash is not None,
        abuse.duplicate_key is not None,
    )
    rows = (await session.execute(stmt, params)).all()
    return {str(row[0]): int(row[1]) for row in rows}, int(rows[0][2]), bool(rows[0][3])


async def abuse_context(session: AsyncSession, abuse: AbuseQuery) -> tuple[int, bool]:
    """The abuse context alone (see bump_counters); no query when nothing is asked."""
    if abuse.address_hash is None and abuse.duplicate_key is None:
        return 0, False
    parts = _abuse_parts(abuse.address_hash is not None, abuse.duplicate_key is not None)
    row = (await session.execute(select(*parts), abuse.params())).one()
    return int(row[0]), bool(row[1])


def _count(condition: Any) -> Any:
    return func.coalesce(func.sum(case((condition, 1), else_=0)), 0)


@functools.cache
def _staff_history_statement() -> Any:
    """Earlier submissions naming one employee, counted per source and by low scores in one
    statement over the (employee_id, submitted_at) index; built once."""
    since_source = bindparam("since_source", type_=_FEEDBACK.submitted_at.type)
    since_burst = bindparam("since_burst", type_=_FEEDBACK.submitted_at.type)
    recent = _FEEDBACK.submitted_at > since_source
    return select(
        _count(recent & (_FEEDBACK.address_hash == bindparam("address_hash"))),
        _count(recent & (_FEEDBACK.device_hash == bindparam("device_hash"))),
        _count(recent & (_FEEDBACK.network_hash == bindparam("network_hash"))),
        _count(_FEEDBACK.low_score.is_(True) & (_FEEDBACK.submitted_at > since_burst)),
        _count(_FEEDBACK.low_score.is_(True) & (_FEEDBACK.submitted_at <= since_burst)),
    ).where(
        _FEEDBACK.employee_id == bindparam("employee_id"),
        _FEEDBACK.submitted_at > bindparam("since", type_=_FEEDBACK.submitted_at.type),
        _FEEDBACK.withdrawn_at.is_(None),
    )


async def staff_history(
    session: AsyncSession,
    *,
    employee_id: str,
    hashes: tuple[str | None, str | None, str | None],
    now: datetime,
    policy: AttributionPolicy,
) -> StaffHistory:
    """What the anti-stuffing rules need to know of earlier submissions naming an employee.

    `hashes` are the (subscriber address, device, network) hashes of this submission. On
    PostgreSQL the employee's directory row is locked first, so concurrent submissions naming
    one person are judged one after the other (SQLite writers are serialised anyway).
    """
    if session.get_bind().dialect.name == "postgresql":
        await session.execute(
            select(_STAFF.employee_id).where(_STAFF.employee_id == employee_id).with_for_update()
        )
    address, device, network = hashes
    row = (
        await session.execute(
            _staff_history_statement(),
            {
                "employee_id": employee_id,
                "address_hash": address,
                "device_hash": device,
                "network_hash": network,
                "since_source": now - policy.source_window,
                "since_burst": now - policy.burst_window,
                "since": now - max(policy.history_window, policy.source_window),
            },
        )
    ).one()
    return StaffHistory(
        from_address=int(row[0]),
        from_device=int(row[1]),
        from_network=int(row[2]),
        low_in_burst_window=int(row[3]),
        low_before_burst_window=int(row[4]),
    )
