"""Driving the reporting service with events: builders of payloads and direct delivery."""

from __future__ import annotations

import itertools
from datetime import UTC, date, datetime
from typing import Any, Literal

from aiokafka import ConsumerRecord

from kinerja_shared.events.catalogue import CATALOGUE, EventPayload
from kinerja_shared.events.envelope import CloudEvent
from kinerja_shared.events.types.appraisal import UnitUpserted
from kinerja_shared.events.types.feedback import (
    FeedbackModerated,
    FeedbackSubmitted,
    FeedbackWithdrawn,
    ScoresReviewed,
    ServicePointUpserted,
    ServiceUsersReported,
)
from kinerja_shared.runtime import ServiceRuntime

NOW = datetime(2026, 6, 30, 12, 0, tzinfo=UTC)
_ids = itertools.count(1)


def source_of(payload: EventPayload) -> str:
    """The CloudEvents source the producing service uses."""
    return "/kinerja/" + payload.topic.split(".")[-1]


def as_event(payload: EventPayload) -> CloudEvent:
    """Wrap a payload as its producer would."""
    return payload.to_event(source=source_of(payload), time=NOW)


class Feeder:
    """Hands events to the service's consumer as records, the way the Kafka loop does."""

    def __init__(self, runtime: ServiceRuntime) -> None:
        self.runtime = runtime
        self.offsets = itertools.count()

    async def deliver(self, event: CloudEvent, key: str = "k") -> None:
        """Apply one event through the consumer (decode, checks, inbox, handler), as read
        from its type's topic."""
        entry = CATALOGUE.get(event.type)
        assert entry is not None, event.type
        record: ConsumerRecord[bytes, bytes] = ConsumerRecord(
            topic=self.runtime.settings.kafka.namespace + entry.topic,
            partition=0,
            offset=next(self.offsets),
            timestamp=0,
            timestamp_type=0,
            key=key.encode(),
            value=event.to_json(),
            checksum=None,
            serialized_key_size=len(key),
            serialized_value_size=0,
            headers=(),
        )
        await self.runtime.consumers[0].handle(record)

    async def send(self, *payloads: EventPayload) -> list[CloudEvent]:
        """Deliver payloads as new events, in order."""
        events = [as_event(p) for p in payloads]
        for event, payload in zip(events, payloads, strict=True):
            await self.deliver(event, payload.key())
        return events


def unit(unit_id: str, parent_id: str | None = None, name: str | None = None) -> UnitUpserted:
    """A unit event."""
    return UnitUpserted(
        unit_id=unit_id,
        code=unit_id.upper(),
        name=name or f"Unit {unit_id}",
        kind="dinas",
        parent_id=parent_id,
    )


def service_point(sp_id: str, unit_id: str) -> ServicePointUpserted:
    """A service point event."""
    return ServicePointUpserted(
        service_point_id=sp_id, slug=sp_id, name=f"Loket {sp_id}", unit_id=unit_id
    )


def service_users(unit_id: str, period_key: str, users: int) -> ServiceUsersReported:
    """A service users report."""
    return ServiceUsersReported(
        unit_id=unit_id, period_key=period_key, service_users=users, reported_at=NOW
    )


def feedback(
    sp_id: str,
    unit_id: str,
    answers: dict[str, int],
    *,
    visit: date = date(2026, 3, 10),
    employee_id: str | None = None,
    overall: int | None = None,
    counted: bool = True,
    staff_counted: bool | None = None,
    feedback_id: str | None = None,
) -> FeedbackSubmitted:
    """A submitted feedback (``staff_counted`` None: as before the field existed)."""
    data: Any = answers
    return FeedbackSubmitted(
        feedback_id=feedback_id or f"fb{next(_ids)}",
        service_point_id=sp_id,
        unit_id=unit_id,
        employee_id=employee_id,
        staff_code=None,
        channel="app",
        visit_date=visit,
        answers=data,
        overall_rating=overall,
        counted=counted,
        staff_counted=staff_counted,
        submitted_at=NOW,
    )


def all_nine(score: int) -> dict[str, int]:
    """Every element answered with the same score."""
    return {f"U{i}": score for i in range(1, 10)}


def withdrawn(
    fb: FeedbackSubmitted, *, reason: Literal["withdrawn", "erased"] = "withdrawn"
) -> FeedbackWithdrawn:
    """The withdrawal of a feedback (by the citizen, or its erasure)."""
    return FeedbackWithdrawn(
        feedback_id=fb.feedback_id,
        service_point_id=fb.service_point_id,
        unit_id=fb.unit_id,
        withdrawn_at=NOW,
        reason=reason,
    )


def moderated(fb: FeedbackSubmitted, *, counted: bool) -> FeedbackModerated:
    """A moderation decision on a feedback."""
    return FeedbackModerated(
        feedback_id=fb.feedback_id,
        service_point_id=fb.service_point_id,
        unit_id=fb.unit_id,
        decision="approved" if counted else "rejected",
        counted=counted,
        moderated_at=NOW,
    )


def reviewed(
    fb: FeedbackSubmitted, *, counted: bool, staff_counted: bool | None = None
) -> ScoresReviewed:
    """A moderator's decision on the held scores of a feedback."""
    return ScoresReviewed(
        feedback_id=fb.feedback_id,
        service_point_id=fb.service_point_id,
        unit_id=fb.unit_id,
        counted=counted,
        staff_counted=staff_counted,
        reviewed_at=NOW,
    )
