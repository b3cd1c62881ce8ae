"""Use cases fed by feedback events: count a feedback in, or out, of every total it touches.

A feedback is included in the totals exactly when its scores are known, it is counted
(not suspicious, not rejected) and it was not withdrawn. Each event updates the compact
feedback row and then moves the totals by the difference, so a repeated or reordered event
changes nothing twice.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_reporting.domain.ikm import normalise_answers
from kinerja_reporting.domain.periods import periods_containing
from kinerja_reporting.flags.service import evaluate_unit_flags
from kinerja_reporting.ikm.repository import SCOPE_POINT, SCOPE_UNIT, add_to_totals
from kinerja_reporting.models import ELEMENTS, FEEDBACK, IKM_TOTALS
from kinerja_reporting.projection import Projection
from kinerja_reporting.storage import insert_missing
from kinerja_reporting.summaries.service import count_staff_response
from kinerja_shared.events.types.feedback import (
    FeedbackModerated,
    FeedbackSubmitted,
    FeedbackWithdrawn,
)


async def _entry(session: AsyncSession, feedback_id: str) -> dict[str, Any] | None:
    row = (
        await session.execute(select(FEEDBACK).where(FEEDBACK.c.feedback_id == feedback_id))
    ).first()
    return dict(row._mapping) if row is not None else None


def _answers(entry: dict[str, Any]) -> dict[int, int]:
    return {e: entry[f"u{e}"] for e in ELEMENTS if entry[f"u{e}"] is not None}


async def record_submitted(
    session: AsyncSession, *, projection: Projection, payload: FeedbackSubmitted, at: datetime
) -> None:
    """Store a feedback's scores and count it if it counts."""
    answers = (
        normalise_answers({str(k): v for k, v in payload.answers.items()})
        if payload.answers
        else {}
    )
    scores = {f"u{e}": None for e in ELEMENTS} | {
        f"u{u.position + 1}": score for u, score in answers.items()
    }
    values: dict[str, Any] = {
        "service_point_id": payload.service_point_id,
        "unit_id": payload.unit_id,
        "employee_id": payload.employee_id,
        "visit_date": payload.visit_date,
        "overall_rating": payload.overall_rating,
        "has_scores": True,
        **scores,
    }
    entry = await _entry(session, payload.feedback_id)
    if entry is None:
        entry = {
            "feedback_id": payload.feedback_id,
            "counted": payload.counted,
            "moderated": False,
            "withdrawn": False,
            "included": payload.counted,
            **values,
        }
        await insert_missing(session, FEEDBACK, entry)
        if payload.counted:
            await _move(session, projection, entry, 1, at)
        return
    elif entry["has_scores"]:
        return  # the same feedback again: already applied
    else:
        # A moderation or withdrawal was seen first; its state is the later one.
        if not entry["moderated"]:
            values["counted"] = payload.counted
        await session.execute(
            update(FEEDBACK).where(FEEDBACK.c.feedback_id == payload.feedback_id).values(values)
        )
        entry |= values
    await _reconcile(session, projection, entry, at)


async def record_moderated(
    session: AsyncSession, *, projection: Projection, payload: FeedbackModerated, at: datetime
) -> None:
    """Count a feedback in or out after moderation."""
    await _mark(
        session,
        projection,
        payload.feedback_id,
        payload.service_point_id,
        payload.unit_id,
        {"counted": payload.counted, "moderated": True},
        at,
    )


async def record_withdrawn(
    session: AsyncSession, *, projection: Projection, payload: FeedbackWithdrawn, at: datetime
) -> None:
    """Count a withdrawn feedback out for good."""
    await _mark(
        session,
        projection,
        payload.feedback_id,
        payload.service_point_id,
        payload.unit_id,
        {"withdrawn": True},
        at,
    )


async def _mark(
    session: AsyncSession,
    projection: Projection,
    feedback_id: str,
    service_point_id: str,
    unit_id: str,
    state: dict[str, Any],
    at: datetime,
) -> None:
    entry = await _entry(session, feedback_id)
    if entry is None:
        # Seen before the submission: remember the state, the scores come later.
        await insert_missing(
            session,
            FEEDBACK,
            {
                "feedback_id": feedback_id,
                "service_point_id": service_point_id,
                "unit_id": unit_id,
                **state,
            },
        )
        return
    await session.execute(
        update(FEEDBACK).where(FEEDBACK.c.feedback_id == feedback_id).values(state)
    )
    await _reconcile(session, projection, entry | state, at)


async def _reconcile(
    session: AsyncSession, projection: Projection, entry: dict[str, Any], at: datetime
) -> None:
    """Move the totals by the difference between counted now and counted before."""
    feedback_id = entry["feedback_id"]
    wanted = entry["has_scores"] and entry["counted"] and not entry["withdrawn"]
    if wanted == entry["included"]:
        return
    await session.execute(
        update(FEEDBACK).where(FEEDBACK.c.feedback_id == feedback_id).values(included=wanted)
    )
    await _move(session, projection, entry, 1 if wanted else -1, at)


async def _move(
    session: AsyncSession, projection: Projection, entry: dict[str, Any], sign: int, at: datetime
) -> None:
    """Add (1) or subtract (-1) a feedback in every total it touches."""
    visit_date: date = entry["visit_date"]
    answers = _answers(entry)
    keys = [p.key for p in periods_containing(visit_date)]
    if answers:
        await add_to_totals(
            session,
            IKM_TOTALS,
            [
                {"scope": scope, "scope_id": scope_id, "period_key": period_key}
                for period_key in keys
                for scope, scope_id in (
                    (SCOPE_POINT, entry["service_point_id"]),
                    (SCOPE_UNIT, entry["unit_id"]),
                )
            ],
            answers,
            sign,
        )
        await evaluate_unit_flags(
            session, projection=projection, unit_id=entry["unit_id"], period_keys=keys, at=at
        )
    if entry["employee_id"]:
        await count_staff_response(
            session,
            projection=projection,
            employee_id=entry["employee_id"],
            period_keys=keys,
            answers=answers,
            overall_rating=entry["overall_rating"],
            sign=sign,
            at=at,
        )
