"""Incremental totals equal a full recomputation, whatever the order and repetition of events."""

from __future__ import annotations

import random
from datetime import date

from reporting.feeding import Feeder, as_event, feedback, moderated, withdrawn
from sqlalchemy import select

from kinerja_reporting.domain.ikm import ElementTotals
from kinerja_reporting.domain.periods import periods_containing
from kinerja_reporting.ikm.repository import totals_of
from kinerja_reporting.models import IKM_TOTALS
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.runtime import ServiceRuntime

UNITS = ("ua", "ub")


def _history(rng: random.Random, count: int) -> tuple[list[list[CloudEvent]], dict, dict]:
    """Per-feedback event sequences, and the answers and visit dates of those that count."""
    per_feedback: list[list[CloudEvent]] = []
    final: dict[str, dict[str, int]] = {}
    where: dict[str, tuple[str, date]] = {}
    for _ in range(count):
        unit_id = rng.choice(UNITS)
        answers = {f"U{i}": rng.randint(1, 4) for i in range(1, 10) if rng.random() < 0.8}
        answers = answers or {"U1": rng.randint(1, 4)}
        visit = date(2026, rng.randint(1, 6), rng.randint(1, 28))
        fb = feedback(f"sp-{unit_id}", unit_id, answers, visit=visit, counted=rng.random() < 0.9)
        counted = fb.counted
        events = [as_event(fb)]
        for _ in range(rng.randint(0, 2)):
            roll = rng.random()
            if roll < 0.3:
                events.append(as_event(withdrawn(fb)))
                counted = False
                break
            decision = rng.random() < 0.6
            events.append(as_event(moderated(fb, counted=decision)))
            counted = decision
        if counted:
            final[fb.feedback_id] = answers
            where[fb.feedback_id] = (unit_id, visit)
        per_feedback.append(events)
    return per_feedback, final, where


def _interleave(rng: random.Random, streams: list[list[CloudEvent]]) -> list[CloudEvent]:
    """Merge per-feedback streams keeping each one's order (like Kafka partitions do)."""
    queues = [list(s) for s in streams]
    merged: list[CloudEvent] = []
    while any(queues):
        queue = rng.choice([q for q in queues if q])
        merged.append(queue.pop(0))
        if rng.random() < 0.1:
            merged.append(merged[-1])  # redelivery of the same event
    return merged


async def _stored(runtime: ServiceRuntime) -> dict[tuple[str, str, str], ElementTotals]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(IKM_TOTALS))).all()
    return {
        (r.scope, r.scope_id, r.period_key): totals_of(r) for r in rows if totals_of(r).respondents
    }


def _recomputed(final: dict, where: dict) -> dict[tuple[str, str, str], ElementTotals]:
    expected: dict[tuple[str, str, str], ElementTotals] = {}
    for feedback_id, answers in final.items():
        unit_id, visit = where[feedback_id]
        for period in periods_containing(visit):
            for scope, scope_id in (("unit", unit_id), ("point", f"sp-{unit_id}")):
                key = (scope, scope_id, period.key)
                expected[key] = expected.get(key, ElementTotals()).add(answers)
    return expected


async def test_random_histories_give_the_totals_of_a_full_recomputation(
    feeder: Feeder, runtime: ServiceRuntime
) -> None:
    rng = random.Random(20260628)
    streams, final, where = _history(rng, 60)
    for event in _interleave(rng, streams):
        await feeder.deliver(event)
    assert await _stored(runtime) == _recomputed(final, where)


async def test_a_withdrawal_seen_before_its_submission_keeps_the_feedback_out(
    feeder: Feeder, runtime: ServiceRuntime
) -> None:
    fb = feedback("sp1", "u1", {"U1": 4})
    await feeder.send(withdrawn(fb))
    await feeder.send(fb)
    await feeder.send(fb)  # a second copy of the submission with a new event id
    assert await _stored(runtime) == {}


async def test_a_rejection_seen_first_wins_over_the_submitted_counted_flag(
    feeder: Feeder, runtime: ServiceRuntime
) -> None:
    fb = feedback("sp1", "u1", {"U1": 4})
    await feeder.send(moderated(fb, counted=False), fb)
    assert await _stored(runtime) == {}
    await feeder.send(moderated(fb, counted=True))
    assert len(await _stored(runtime)) == 6
