"""feedback_entry.applied_at: when the consumer's transaction first applied a feedback's
scores (the projection's end of the event lag), whatever came before or after it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from reporting.feeding import NOW, Feeder, feedback, moderated, reviewed, withdrawn
from sqlalchemy import select

from kinerja_reporting.models import FEEDBACK
from kinerja_reporting.projections.context import Projection
from kinerja_reporting.projections.feedback import apply_feedback
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.events.envelope import utcnow
from kinerja_shared.runtime import ServiceRuntime


async def _applied_at(runtime: ServiceRuntime) -> dict[str, Any]:
    async with runtime.sessions() as session:
        rows = (await session.execute(select(FEEDBACK.c.feedback_id, FEEDBACK.c.applied_at))).all()
    return {r.feedback_id: r.applied_at for r in rows}


async def test_a_submission_applied_by_the_consumer_records_when_and_moderation_keeps_it(
    runtime: ServiceRuntime, feeder: Feeder
) -> None:
    fb = feedback("sp1", "u1", {"U1": 3}, employee_id="e1")
    before = utcnow()
    await feeder.send(fb)
    after = utcnow()
    applied = (await _applied_at(runtime))[fb.feedback_id]
    assert applied is not None
    assert before <= applied <= after
    assert applied.utcoffset() == timedelta(0)

    await feeder.send(
        moderated(fb, counted=False),
        reviewed(fb, counted=True, staff_counted=False),
        fb,  # the same submission again
        withdrawn(fb),
    )
    assert (await _applied_at(runtime))[fb.feedback_id] == applied


async def test_applied_at_is_the_clock_of_the_transaction_that_first_applied_the_scores(
    runtime: ServiceRuntime, settings: ReportingSettings
) -> None:
    first, second = NOW + timedelta(seconds=1), NOW + timedelta(seconds=2)
    early = feedback("sp1", "u1", {"U2": 4})
    late = feedback("sp1", "u1", {"U3": 2})
    held = feedback("sp1", "u1", {"U4": 1})
    for moment, events in (
        # a moderation of `late` and a withdrawal of `held` seen before their submissions
        (first, [early, moderated(late, counted=True), withdrawn(held)]),
        (second, [late, early, moderated(early, counted=False), held]),
    ):
        projection = Projection(
            settings=settings, outbox=runtime.outbox, clock=lambda moment=moment: moment
        )
        async with runtime.sessions() as session, session.begin():
            await apply_feedback(session, projection=projection, events=[(e, NOW) for e in events])
        if moment == first:
            assert await _applied_at(runtime) == {
                early.feedback_id: first,
                late.feedback_id: None,
                held.feedback_id: None,
            }
    assert await _applied_at(runtime) == {
        early.feedback_id: first,
        late.feedback_id: second,
        held.feedback_id: second,
    }
