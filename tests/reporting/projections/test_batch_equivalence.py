"""Feedback applied in batches gives exactly the read models of applying it one by one.

Random histories (submissions with and without staff, their attribution to the employee
counted, held or unstated as in events from before the field; approvals, rejections, reviews
of the scores counting them in or out of the IKM and the employee's summary, withdrawals and
erasures; moderations, reviews or withdrawals seen before their submission, redelivered
copies, interleaved feedback) are applied three ways on the same database: one event per
transaction, in batches of random sizes (1 included), and the totals are recomputed from the
resulting feedback rows.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import Any

import pytest
from reporting.feeding import NOW, feedback, moderated, reviewed, withdrawn
from sqlalchemy import select

from kinerja_reporting.domain.periods import periods_containing
from kinerja_reporting.models import ELEMENTS, FEEDBACK, IKM_TOTALS, STAFF_TOTALS, UNIT_FLAG
from kinerja_reporting.models import metadata as reporting_metadata
from kinerja_reporting.projections.context import Projection
from kinerja_reporting.projections.feedback import FeedbackEvent, apply_feedback
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.runtime import ServiceRuntime
from support.database import empty_tables

UNITS = ("ua", "ub", "uc")
EMPLOYEES = ("e1", "e2", None)


def _history(rng: random.Random, count: int) -> list[FeedbackEvent]:
    streams: list[list[FeedbackEvent]] = []
    for _ in range(count):
        unit_id = rng.choice(UNITS)
        answers = {f"U{i}": rng.randint(1, 4) for i in range(1, 10) if rng.random() < 0.7}
        employee_id = rng.choice(EMPLOYEES)
        fb = feedback(
            f"sp-{unit_id}",
            unit_id,
            answers or {"U2": rng.randint(1, 4)},
            visit=date(2026, rng.randint(1, 5), rng.randint(1, 28)),
            employee_id=employee_id,
            overall=rng.choice((None, 1, 3, 5)),
            counted=rng.random() < 0.85,
            # None: no one named, or an event from before the field (follows counted)
            staff_counted=rng.choice((None, True, False, False)) if employee_id else None,
        )
        events: list[FeedbackEvent] = [fb]
        for _ in range(rng.randint(0, 3)):
            roll = rng.random()
            if roll < 0.2:
                events.append(withdrawn(fb, reason=rng.choice(("withdrawn", "erased"))))
            elif roll < 0.32:
                events.append(fb)  # a second copy of the submission
            elif roll < 0.6:
                events.append(moderated(fb, counted=rng.random() < 0.6))
            else:
                staff = rng.random() < 0.5 if employee_id else None
                events.append(reviewed(fb, counted=rng.random() < 0.7, staff_counted=staff))
        if rng.random() < 0.2:
            rng.shuffle(events)  # moderation, review or withdrawal seen before the submission
        streams.append(events)
    merged: list[FeedbackEvent] = []
    while any(streams):
        stream = rng.choice([s for s in streams if s])
        merged.append(stream.pop(0))
        if rng.random() < 0.1:
            merged.append(merged[-1])  # redelivered
    return merged


def _at(rng: random.Random) -> datetime:
    return NOW.replace(minute=rng.randint(0, 59))


async def _one_by_one(
    runtime: ServiceRuntime, projection: Projection, events: list[tuple[Any, datetime]]
) -> None:
    # One event per transaction: what the consumer does with a lone event or a retried batch.
    for payload, at in events:
        async with runtime.sessions() as session, session.begin():
            await apply_feedback(session, projection=projection, events=[(payload, at)])


async def _batched(
    runtime: ServiceRuntime,
    projection: Projection,
    events: list[tuple[Any, datetime]],
    rng: random.Random,
) -> None:
    start = 0
    while start < len(events):
        size = rng.choice((1, 2, 5, 17, 60, 500))
        async with runtime.sessions() as session, session.begin():
            await apply_feedback(
                session, projection=projection, events=events[start : start + size]
            )
        start += size


async def _read_models(runtime: ServiceRuntime) -> dict[str, Any]:
    async with runtime.sessions() as session:
        result: dict[str, Any] = {}
        for table in (FEEDBACK, IKM_TOTALS, STAFF_TOTALS):
            rows = (await session.execute(select(table))).all()
            keys = [c.name for c in table.primary_key.columns]
            result[table.name] = {
                # applied_at is the moment of each run's transaction (test_applied_at.py)
                tuple(r._mapping[k] for k in keys): dict(r._mapping) | {"applied_at": None}
                for r in rows
            }
        flags = (await session.execute(select(UNIT_FLAG).where(UNIT_FLAG.c.active))).all()
        result["active flags"] = {
            (f.unit_id, f.period_key): (f.reasons, f.ikm, f.band, f.respondents) for f in flags
        }
    return result


def _recomputed(feedback_rows: dict[Any, dict[str, Any]]) -> dict[str, dict[Any, list[int]]]:
    """Totals from scratch over the feedback that ends up counted (non-zero rows only)."""
    ikm_rows: dict[Any, list[int]] = {}
    staff_rows: dict[Any, list[int]] = {}
    for row in feedback_rows.values():
        assert row["included"] == (row["has_scores"] and row["counted"] and not row["withdrawn"])
        assert row["staff_included"] == (row["included"] and row["staff_counted"])
        if not row["included"]:
            continue
        answered = [(e, row[f"u{e}"]) for e in ELEMENTS if row[f"u{e}"] is not None]
        amounts = [1] + [0] * 18
        for element, score in answered:
            amounts[element] += score
            amounts[9 + element] += 1
        for period in periods_containing(row["visit_date"]):
            for scope, scope_id in (("point", row["service_point_id"]), ("unit", row["unit_id"])):
                total = ikm_rows.setdefault((scope, scope_id, period.key), [0] * 19)
                for i, amount in enumerate(amounts):
                    total[i] += amount
            if row["employee_id"] and row["staff_included"]:
                rating = row["overall_rating"]
                total = staff_rows.setdefault((row["employee_id"], period.key), [0] * 21)
                for i, amount in enumerate([*amounts, rating or 0, int(bool(rating))]):
                    total[i] += amount
    return {"ikm_totals": ikm_rows, "staff_totals": staff_rows}


def _non_zero(rows: dict[Any, dict[str, Any]], columns: list[str]) -> dict[Any, list[int]]:
    found = {key: [row[c] for c in columns] for key, row in rows.items()}
    return {key: values for key, values in found.items() if any(values)}


IKM_COLUMNS = ["respondents", *(f"s{e}" for e in ELEMENTS), *(f"n{e}" for e in ELEMENTS)]


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
async def test_batches_of_random_sizes_give_the_read_models_of_one_by_one_and_of_a_recount(
    runtime: ServiceRuntime, settings: ReportingSettings, seed: int
) -> None:
    rng = random.Random(seed)
    events = [(payload, _at(rng)) for payload in _history(rng, 40)]
    projection = Projection(settings=settings, outbox=runtime.outbox, publish=seed % 2 == 0)

    await _one_by_one(runtime, projection, events)
    one_by_one = await _read_models(runtime)

    await empty_tables(settings.database_url, reporting_metadata)
    await _batched(runtime, projection, events, rng)
    batched = await _read_models(runtime)

    assert batched == one_by_one
    recount = _recomputed(batched["feedback_entry"])
    assert _non_zero(batched["ikm_totals"], IKM_COLUMNS) == recount["ikm_totals"]
    staff_columns = [*IKM_COLUMNS, "overall_sum", "overall_count"]
    assert _non_zero(batched["staff_totals"], staff_columns) == recount["staff_totals"]
    assert batched["ikm_totals"], "the history counted nothing"
    rows = batched["feedback_entry"].values()
    assert any(r["staff_included"] and r["employee_id"] for r in rows), "no staff counted"
    assert any(r["included"] and not r["staff_included"] for r in rows), "no attribution held"
    assert any(r["reviewed"] for r in rows), "no scores reviewed"
