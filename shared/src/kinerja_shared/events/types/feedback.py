"""Events published by the feedback service (topic kinerja.feedback). No personal data of
citizens: no contact, no respondent profile, no free text except moderated, redacted text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import Field

from kinerja_shared.events.catalogue import EventPayload, event_type
from kinerja_shared.events.topics import FEEDBACK

Channel = Literal["app", "kiosk", "web", "open311"]
ElementCode = Literal["U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9"]
ComplaintStatus = Literal["received", "verified", "in_progress", "resolved", "rejected", "reopened"]


@event_type(
    "service_point.upserted",
    version=1,
    topic=FEEDBACK,
    key="service_point_id",
    aggregate="service_point",
)
class ServicePointUpserted(EventPayload):
    """A service point citizens rate was created or changed."""

    service_point_id: str
    slug: str
    name: str
    unit_id: str
    service_types: list[str] = Field(default_factory=list)
    active: bool = True


@event_type(
    "feedback.submitted", version=1, topic=FEEDBACK, key="feedback_id", aggregate="feedback"
)
class FeedbackSubmitted(EventPayload):
    """A citizen's SKM feedback was accepted (scores only: no comment, no contact)."""

    feedback_id: str
    service_point_id: str
    unit_id: str
    service_type: str | None = None
    staff_code: str | None = None
    employee_id: str | None = None
    channel: Channel
    visit_date: date
    answers: dict[ElementCode, int] = Field(description="SKM element → score 1..4")
    overall_rating: int | None = Field(default=None, ge=1, le=5)
    is_complaint: bool = False
    counted: bool = Field(description="False while flagged as suspicious and not reviewed")
    submitted_at: datetime


@event_type(
    "feedback.moderated", version=1, topic=FEEDBACK, key="feedback_id", aggregate="feedback"
)
class FeedbackModerated(EventPayload):
    """A moderator approved or rejected a feedback; approved comments come redacted."""

    feedback_id: str
    service_point_id: str
    unit_id: str
    decision: Literal["approved", "rejected"]
    comment_redacted: str | None = None
    counted: bool = Field(description="Whether the feedback counts in indices from now on")
    moderated_at: datetime


@event_type(
    "feedback.withdrawn", version=1, topic=FEEDBACK, key="feedback_id", aggregate="feedback"
)
class FeedbackWithdrawn(EventPayload):
    """The citizen withdrew a feedback by its tracking code."""

    feedback_id: str
    service_point_id: str
    unit_id: str
    withdrawn_at: datetime


@event_type(
    "complaint.status_changed", version=1, topic=FEEDBACK, key="feedback_id", aggregate="feedback"
)
class ComplaintStatusChanged(EventPayload):
    """A complaint moved through its lifecycle."""

    feedback_id: str
    unit_id: str
    service_point_id: str
    category: str
    previous_status: ComplaintStatus | None = None
    status: ComplaintStatus
    first_response_due: date
    resolution_due: date
    overdue: list[str] = Field(default_factory=list)
    changed_at: datetime


@event_type("service_users.reported", version=1, topic=FEEDBACK, key="unit_id", aggregate="unit")
class ServiceUsersReported(EventPayload):
    """A unit reported how many citizens used its services in a period (SKM sample base)."""

    unit_id: str
    period_key: str
    service_users: int = Field(ge=0)
    reported_at: datetime
