"""The one-statement read of flag evaluation returns what three plain per-table reads return."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select

from kinerja_reporting.ikm.repository import totals_of
from kinerja_reporting.models import (
    ELEMENTS,
    IKM_TOTALS,
    SCOPE_POINT,
    SCOPE_UNIT,
    SERVICE_USERS,
    UNIT_FLAG,
)
from kinerja_reporting.projections.repository import StoredFlag, flag_inputs
from kinerja_shared.runtime import ServiceRuntime

UNITS = ("u1", "u2", "u3")
KEYS = ("2026-03", "2026-04", "2026-Q1", "2026")
FLAG_KEYS = ("2026-04", "2026")


def _totals(scope: str, scope_id: str, key: str, seed: int) -> dict[str, Any]:
    row: dict[str, Any] = {"scope": scope, "scope_id": scope_id, "period_key": key}
    row["respondents"] = seed
    for e in ELEMENTS:
        row[f"s{e}"], row[f"n{e}"] = seed * (1 + e % 4), seed
    return row


async def test_flag_inputs_equal_the_per_table_reads(runtime: ServiceRuntime) -> None:
    at = datetime(2026, 4, 2, tzinfo=UTC)
    async with runtime.sessions() as session, session.begin():
        # Pairs present in one, two or all three tables, other scopes, units and periods.
        await session.execute(
            insert(IKM_TOTALS),
            [
                _totals(SCOPE_UNIT, "u1", "2026-03", 3),
                _totals(SCOPE_UNIT, "u1", "2026-04", 4),
                _totals(SCOPE_UNIT, "u2", "2026", 5),
                _totals(SCOPE_UNIT, "u9", "2026-04", 6),
                _totals(SCOPE_UNIT, "u1", "2025", 7),
                _totals(SCOPE_POINT, "u3", "2026-04", 8),
            ],
        )
        await session.execute(
            insert(SERVICE_USERS),
            [
                {"unit_id": "u1", "period_key": "2026-04", "service_users": 40},
                {"unit_id": "u3", "period_key": "2026-Q1", "service_users": 30},
                {"unit_id": "u3", "period_key": "2025", "service_users": 20},
            ],
        )
        await session.execute(
            insert(UNIT_FLAG),
            [
                {
                    "unit_id": u,
                    "period_key": k,
                    "active": n % 2 == 0,
                    "respondents": n,
                    "reasons": [{"code": "band", "band": "C", "n": n}],
                    "changed_at": at,
                }
                for n, (u, k) in enumerate(
                    [("u1", "2026-04"), ("u2", "2026-03"), ("u3", "2026"), ("u2", "2026")]
                )
            ],
        )
    async with runtime.sessions() as session:
        inputs = await flag_inputs(session, UNITS, KEYS, FLAG_KEYS)
        totals = {
            (r.scope_id, r.period_key): totals_of(r)
            for r in await session.execute(
                select(IKM_TOTALS).where(
                    IKM_TOTALS.c.scope == SCOPE_UNIT,
                    IKM_TOTALS.c.scope_id.in_(UNITS),
                    IKM_TOTALS.c.period_key.in_(KEYS),
                )
            )
        }
        users = {
            (r.unit_id, r.period_key): r.service_users
            for r in await session.execute(
                select(SERVICE_USERS).where(
                    SERVICE_USERS.c.unit_id.in_(UNITS), SERVICE_USERS.c.period_key.in_(KEYS)
                )
            )
        }
        stored = {
            (r.unit_id, r.period_key): StoredFlag(r.active, r.reasons, r.respondents)
            for r in await session.execute(
                select(UNIT_FLAG).where(
                    UNIT_FLAG.c.unit_id.in_(UNITS), UNIT_FLAG.c.period_key.in_(FLAG_KEYS)
                )
            )
        }
    assert inputs.totals == totals
    assert inputs.service_users == users
    assert inputs.stored == stored
    assert set(totals) == {("u1", "2026-03"), ("u1", "2026-04"), ("u2", "2026")}
    assert set(users) == {("u1", "2026-04"), ("u3", "2026-Q1")}
    assert set(stored) == {("u1", "2026-04"), ("u3", "2026"), ("u2", "2026")}
