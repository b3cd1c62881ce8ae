"""Events published by the feedback service (topic kinerja.feedback). No personal data of
citizens: no contact, no respondent profile, no free text except moderated, redacted text."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, Field

from kinerja_shared.events.catalogue import EventPayload, event_type
from kinerja_shared.events.topics import FEEDBACK, FEEDBACK_COMMENTS
from kinerja_shared.law.skm import UnsurValue

Channel = Literal["app", "kiosk", "web", "open311"]
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
    answers: dict[UnsurValue, int] = Field(description="SKM element → score 1..4")
    overall_rating: int | None = Field(default=None, ge=1, le=5)
    is_complaint: bool = False
    counted: bool = Field(description="False while flagged as suspicious and not reviewed")
    submitted_at: datetime
    staff_counted: bool | None = Field(
        default=None,
        description="Whether the scores count toward the named employee's summary (only when "
        "`counted` too); false while held by the anti-stuffing rules. Null: no employee is "
        "named, or an event from before this field (then it follows `counted`).",
    )


@event_type(
    "feedback.moderated", version=1, topic=FEEDBACK, key="feedback_id", aggregate="feedback"
)
class FeedbackModerated(EventPayload):
    """A moderator approved or rejected a feedback; approved comments come redacted."""

    feedback_id: str
    service_point_id: str
    unit_id: str
    decision: Literal["approved", "rejected"]
    comment_redacted: str | None = Field(
        default=None,
        description="Always null: a published comment travels on the compacted topic "
        "kinerja.feedback.comments (feedback_comment.published), where erasure can remove it.",
    )
    counted: bool = Field(
        description="Whether the scores count in indices (a decision on the comment never "
        "changes it; see feedback.scores_reviewed)"
    )
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
    reason: Literal["withdrawn", "erased"] = Field(
        default="withdrawn",
        description="withdrawn: by the citizen with the tracking code; erased: on an erasure "
        "request handled by BKPSDM. Either way it stops counting and its personal data is gone.",
    )


@event_type(
    "feedback.scores_reviewed", version=1, topic=FEEDBACK, key="feedback_id", aggregate="feedback"
)
class ScoresReviewed(EventPayload):
    """A moderator decided on scores that were held: counted in, or discarded for good."""

    feedback_id: str
    service_point_id: str
    unit_id: str
    counted: bool = Field(description="Whether the scores count in the unit's IKM")
    staff_counted: bool | None = Field(
        default=None,
        description="Whether they count toward the named employee's summary (null: none named)",
    )
    reviewed_at: datetime


@event_type(
    "feedback_comment.published",
    version=1,
    topic=FEEDBACK_COMMENTS,
    key="feedback_id",
    aggregate="feedback",
)
class FeedbackCommentPublished(EventPayload):
    """A citizen's comment approved by a moderator, as published (personal data masked).

    On the compacted topic kinerja.feedback.comments, keyed by feedback id: a withdrawal or an
    erasure writes a tombstone (a record with this key and no value), and compaction then
    removes the comment from the topic.
    """

    feedback_id: str
    service_point_id: str
    unit_id: str
    employee_id: str | None = None
    comment_redacted: str
    published_at: datetime


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


ComplaintCategory = Literal[
    "information_request", "simple_complaint", "dispute", "dispute_field_check"
]


@event_type(
    "complaint.reclassified", version=1, topic=FEEDBACK, key="feedback_id", aggregate="feedback"
)
class ComplaintReclassified(EventPayload):
    """Staff changed a complaint's SP4N-LAPOR! category; its deadlines were counted again from
    the receipt (or the latest reopening). The staff's reason is not in the event."""

    feedback_id: str
    unit_id: str
    service_point_id: str
    previous_category: ComplaintCategory
    category: ComplaintCategory
    first_response_due: date
    resolution_due: date
    overdue: list[str] = Field(default_factory=list)
    reclassified_at: datetime


@event_type("service_users.reported", version=1, topic=FEEDBACK, key="unit_id", aggregate="unit")
class ServiceUsersReported(EventPayload):
    """A unit reported how many citizens used its services in a period (SKM sample base)."""

    unit_id: str
    period_key: str
    service_users: int = Field(ge=0)
    reported_at: datetime


FollowUpStatus = Literal["planned", "in_progress", "done"]


class FollowUpActionState(BaseModel):
    """One action of a follow-up plan as it stands (the owner by employee id only)."""

    action_id: str
    element: UnsurValue = Field(description="The SKM element (unsur) the action improves")
    description: str = Field(
        description="What the unit will do: official text written for publication, with phone "
        "numbers, e-mail addresses and NIKs masked"
    )
    owner_employee_id: str = Field(description="The employee responsible, by opaque id")
    due_date: date
    status: FollowUpStatus = "planned"
    progress_percent: int = Field(default=0, ge=0, le=100)


@event_type(
    "follow_up_plan.recorded",
    version=1,
    topic=FEEDBACK,
    key="plan_id",
    aggregate="follow_up_plan",
)
class FollowUpPlanRecorded(EventPayload):
    """A unit's follow-up plan (rencana tindak lanjut) was recorded or got new actions."""

    plan_id: str
    unit_id: str
    period_key: str = Field(description="The SKM period the plan answers: 2026, 2026-Q1, 2026-03")
    actions: list[FollowUpActionState]
    recorded_at: datetime


@event_type(
    "follow_up_action.progressed",
    version=1,
    topic=FEEDBACK,
    key="plan_id",
    aggregate="follow_up_plan",
)
class FollowUpActionProgressed(EventPayload):
    """Progress of one action of a follow-up plan was recorded (keyed by its plan)."""

    plan_id: str
    action_id: str
    unit_id: str
    period_key: str
    status: FollowUpStatus
    progress_percent: int = Field(ge=0, le=100)
    note: str | None = Field(
        default=None,
        description="What was done: official text written for publication, with phone numbers, "
        "e-mail addresses and NIKs masked",
    )
    progressed_at: datetime
