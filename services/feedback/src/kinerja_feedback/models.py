"""Tables of the feedback service (its own metadata, with the outbox and inbox)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Integer, Text, UniqueConstraint
from sqlalchemy.orm import registry
from sqlmodel import Field, SQLModel

from kinerja_shared.columns import UtcDateTime
from kinerja_shared.messaging import messaging_tables


def _ts(nullable: bool = False, index: bool = False) -> Any:
    return Field(sa_column=Column(UtcDateTime(), nullable=nullable, index=index))


def _json() -> Any:
    return Field(sa_column=Column(JSON, nullable=False))


class Base(SQLModel, registry=registry()):
    """Base of the feedback service's tables."""


class DirectoryUnit(Base, table=True):
    """A unit, copied from the appraisal service's unit.upserted events."""

    __tablename__ = "directory_unit"
    unit_id: str = Field(primary_key=True, max_length=64)
    code: str = Field(max_length=64)
    name: str = Field(max_length=200)
    kind: str = Field(max_length=32)
    parent_id: str | None = Field(default=None, max_length=64)
    active: bool = True
    updated_at: datetime = _ts()


class DirectoryStaff(Base, table=True):
    """A staff member by public staff code, from employee.upserted events (never the NIP,
    never the name)."""

    __tablename__ = "directory_staff"
    employee_id: str = Field(primary_key=True, max_length=64)
    staff_code: str = Field(max_length=64, index=True)
    position: str = Field(max_length=200)
    unit_id: str = Field(max_length=64, index=True)
    supervisor_id: str | None = Field(default=None, max_length=64, index=True)
    active: bool = True
    updated_at: datetime = _ts()


class ServicePoint(Base, table=True):
    """A place or service citizens rate, with a public slug for QR codes."""

    __tablename__ = "service_point"
    id: str = Field(primary_key=True, max_length=64)
    slug: str = Field(max_length=80, unique=True)
    name: str = Field(max_length=200, index=True)
    unit_id: str = Field(max_length=64, index=True)
    kind: str = Field(max_length=32)
    address: str | None = Field(default=None, max_length=300)
    latitude: float | None = None
    longitude: float | None = None
    service_types: list[str] = _json()
    staff_codes: list[str] = _json()
    active: bool = True
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class Feedback(Base, table=True):
    """One citizen submission: SKM answers, moderation state and, if a complaint, its status.

    `id` is the public id (it grants nothing); the tracking code, the citizen's secret, is
    kept only as its digest, and encrypted for idempotent replays of the receipt.
    `counted`: the scores count in the unit's IKM; `scores_held`: they wait for a moderator
    (suspicious). `staff_status` (counted, held, discarded; null when no staff is named):
    whether they count toward the named employee's summary (anti-stuffing rules).
    """

    __tablename__ = "feedback"
    __table_args__ = (
        Index("ix_feedback_address_time", "address_hash", "submitted_at"),
        Index("ix_feedback_moderation", "moderation_status", "unit_id"),
        Index("ix_feedback_employee_time", "employee_id", "submitted_at"),
    )
    id: str = Field(primary_key=True, max_length=64)
    tracking_digest: str = Field(max_length=64, unique=True)
    tracking_code_encrypted: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    idempotency_key: str = Field(max_length=64, unique=True)
    request_fingerprint: str | None = Field(default=None, max_length=64)
    response_status: int
    response_body: dict[str, Any] = _json()
    service_point_id: str = Field(max_length=64, index=True)
    unit_id: str = Field(max_length=64, index=True)
    service_type: str | None = Field(default=None, max_length=100)
    staff_code: str | None = Field(default=None, max_length=64)
    employee_id: str | None = Field(default=None, max_length=64)
    channel: str = Field(max_length=16)
    visit_date: date
    survey_version: str = Field(max_length=64)
    answers: dict[str, int] = _json()
    overall_rating: int | None = None
    comment_redacted: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    comment_encrypted: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    contact_encrypted: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    age_band: str | None = Field(default=None, max_length=16)
    sex: str | None = Field(default=None, max_length=1)
    education: str | None = Field(default=None, max_length=16)
    occupation: str | None = Field(default=None, max_length=32)
    latitude: float | None = None
    longitude: float | None = None
    device_hash: str | None = Field(default=None, max_length=64)
    address_hash: str | None = Field(default=None, max_length=64)
    network_hash: str | None = Field(default=None, max_length=64)
    phone_hash: str | None = Field(default=None, max_length=64, index=True)
    email_hash: str | None = Field(default=None, max_length=64, index=True)
    duplicate_key: str | None = Field(default=None, max_length=64, index=True)
    abuse_flags: list[str] = _json()
    suspicion_reasons: list[str] = _json()
    moderation_status: str = Field(max_length=16)
    counted: bool
    scores_held: bool = False
    low_score: bool = False
    staff_status: str | None = Field(default=None, max_length=16)
    staff_hold_reasons: list[str] = _json()
    handler_employee_id: str | None = Field(default=None, max_length=64)
    handler_subject: str | None = Field(default=None, max_length=100)
    is_complaint: bool = False
    complaint_category: str | None = Field(default=None, max_length=32)
    complaint_status: str | None = Field(default=None, max_length=16)
    first_response_due: date | None = None
    resolution_due: date | None = None
    # When the complaint left `received`, and when the unit first responded to the citizen:
    # the duties of verification and first response (docs/domain.md, complaints).
    verified_at: datetime | None = _ts(nullable=True)
    first_response_at: datetime | None = _ts(nullable=True)
    # The start of the resolution clock when it is not the receipt (the latest reopening).
    resolution_clock_from: datetime | None = _ts(nullable=True)
    submitted_at: datetime = _ts(index=True)
    updated_at: datetime = _ts()
    withdrawn_at: datetime | None = _ts(nullable=True)


class ComplaintEntry(Base, table=True):
    """One step of a complaint's public history: a status change or a response of the unit."""

    __tablename__ = "complaint_entry"
    id: int | None = Field(default=None, primary_key=True)
    feedback_id: str = Field(max_length=64, index=True, foreign_key="feedback.id")
    kind: str = Field(max_length=16)
    previous_status: str | None = Field(default=None, max_length=16)
    status: str = Field(max_length=16)
    message: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # A reclassification names the categories; a step that moved the resolution date (a
    # reclassification, a reopening) keeps the date before and after it.
    previous_category: str | None = Field(default=None, max_length=32)
    category: str | None = Field(default=None, max_length=32)
    previous_resolution_due: date | None = None
    resolution_due: date | None = None
    actor: str = Field(max_length=100)
    at: datetime = _ts()


class Holiday(Base, table=True):
    """A day off in a region (ISO 3166: ID national, ID-BA Bali), loaded from a year's
    holiday list; the complaint deadlines skip the days of the configured regions."""

    __tablename__ = "holiday"
    region: str = Field(primary_key=True, max_length=8)
    day: date = Field(primary_key=True)
    year: int = Field(index=True)
    kind: str = Field(max_length=16)
    name: str = Field(max_length=200)
    confirmed: bool
    source: str = Field(sa_column=Column(Text, nullable=False))
    loaded_at: datetime = _ts()


class ModerationAction(Base, table=True):
    """The log of every moderation action and every read of personal data by staff."""

    __tablename__ = "moderation_action"
    id: int | None = Field(default=None, primary_key=True)
    feedback_id: str = Field(max_length=64, index=True, foreign_key="feedback.id")
    action: str = Field(max_length=32)
    reason: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actor: str = Field(max_length=100)
    at: datetime = _ts()


class RateCounter(Base, table=True):
    """Submissions per hashed device or address in a fixed window (shared by all replicas)."""

    __tablename__ = "rate_counter"
    scope: str = Field(primary_key=True, max_length=16)
    subject: str = Field(primary_key=True, max_length=64)
    window_start: datetime = Field(sa_column=Column(UtcDateTime(), primary_key=True))
    count: int = Field(sa_column=Column(Integer, nullable=False))


class ErasureRequest(Base, table=True):
    """An erasure of citizens' personal data done on request, for the audit (no personal data:
    the submissions by public id, who did it and the request's reference)."""

    __tablename__ = "erasure_request"
    id: str = Field(primary_key=True, max_length=64)
    requested_by: str = Field(max_length=100)
    reference: str = Field(max_length=200)
    feedback_ids: list[str] = _json()
    at: datetime = _ts()


class ServiceUsersReport(Base, table=True):
    """The number of service users a unit reported for a period (SKM sample base)."""

    __tablename__ = "service_users_report"
    __table_args__ = (UniqueConstraint("unit_id", "period_key"),)
    id: int | None = Field(default=None, primary_key=True)
    unit_id: str = Field(max_length=64)
    period_key: str = Field(max_length=16)
    service_users: int
    reported_by: str = Field(max_length=100)
    reported_at: datetime = _ts()


class FollowUpPlan(Base, table=True):
    """A unit's follow-up plan (rencana tindak lanjut) of its SKM result for a period."""

    __tablename__ = "follow_up_plan"
    __table_args__ = (UniqueConstraint("unit_id", "period_key"),)
    id: str = Field(primary_key=True, max_length=64)
    unit_id: str = Field(max_length=64)
    period_key: str = Field(max_length=16)
    recorded_by: str = Field(max_length=100)
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class FollowUpAction(Base, table=True):
    """One action of a follow-up plan: an SKM element to improve, who answers for it, by when,
    and where it stands."""

    __tablename__ = "follow_up_action"
    id: str = Field(primary_key=True, max_length=64)
    plan_id: str = Field(max_length=64, index=True, foreign_key="follow_up_plan.id")
    position: int
    element: str = Field(max_length=2)
    description: str = Field(sa_column=Column(Text, nullable=False))
    owner_employee_id: str = Field(max_length=64)
    due_date: date
    status: str = Field(max_length=16)
    progress_percent: int
    created_at: datetime = _ts()
    updated_at: datetime = _ts()


class FollowUpProgress(Base, table=True):
    """One step of an action's history: who set which status and percentage, when, and why
    (never changed or removed: the audit trail of the plan)."""

    __tablename__ = "follow_up_progress"
    id: int | None = Field(default=None, primary_key=True)
    action_id: str = Field(max_length=64, index=True, foreign_key="follow_up_action.id")
    status: str = Field(max_length=16)
    progress_percent: int
    note: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    actor: str = Field(max_length=100)
    at: datetime = _ts()


class SentReminder(Base, table=True):
    """A deadline reminder already published: one row per kind, subject and deadline, written
    with the event, so a second scan (another replica, a restart) publishes nothing."""

    __tablename__ = "sent_reminder"
    kind: str = Field(primary_key=True, max_length=40)
    subject_id: str = Field(primary_key=True, max_length=64)
    deadline: date = Field(primary_key=True)
    sent_at: datetime = _ts()


metadata = Base.metadata
messaging = messaging_tables(metadata)
