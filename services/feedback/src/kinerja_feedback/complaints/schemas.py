"""Request and response models of complaints."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints

from kinerja_feedback.domain.complaint import ComplaintCategory, ComplaintStatus
from kinerja_shared.schemas import RequestModel

Message = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2000)]


class StatusChange(RequestModel):
    """Move a complaint to another status, with an optional public message."""

    status: ComplaintStatus
    message: Message | None = None


class ResponseCreate(RequestModel):
    """A public response of the unit to the citizen."""

    message: Message


class Reclassification(RequestModel):
    """Staff change a complaint's category; the reason is kept in its public history."""

    category: ComplaintCategory
    reason: Message


class Reopen(RequestModel):
    """The citizen disagrees with the outcome."""

    reason: Message


class Assignment(RequestModel):
    """Who handles a complaint: an employee of the unit (default: the caller)."""

    employee_id: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None
    ) = None


class HistoryEntry(BaseModel):
    """One public step of a complaint: a status change, a response or a reclassification."""

    kind: str = Field(description="status, response or reclassified")
    previous_status: str | None
    status: str
    message: str | None
    previous_category: str | None = Field(
        default=None, description="A reclassification: the category before it"
    )
    category: str | None = Field(
        default=None, description="A reclassification: the category after it"
    )
    previous_resolution_due: date | None = Field(
        default=None,
        description="A step that moved the resolution date (reclassification, reopening): "
        "the date before it",
    )
    resolution_due: date | None = Field(
        default=None, description="The same step: the resolution date it set"
    )
    at: datetime


class DutyView(BaseModel):
    """One duty of the unit on a complaint (docs/domain.md, complaints)."""

    duty: str = Field(description="verification, first_response or resolution")
    due: date = Field(description="The last day (WITA) to do it")
    state: str = Field(description="done, due, overdue, or lapsed (closed without it)")
    done_at: datetime | None = Field(
        default=None, description="When it was done (verification and first response)"
    )


class ComplaintView(BaseModel):
    """A complaint as staff see it (no contact: that has its own, logged endpoint; never the
    citizen's tracking code)."""

    feedback_id: str
    unit_id: str
    service_point_id: str
    employee_id: str | None = Field(description="The employee the complaint names, if any")
    handler_employee_id: str | None = Field(description="The employee handling it")
    handler_subject: str | None = Field(description="Or the account handling it")
    category: str
    status: str
    first_response_due: date
    resolution_due: date
    overdue: list[str] = Field(description="The duties past their due date, still owed")
    duties: list[DutyView]
    comment_redacted: str | None
    has_contact: bool
    submitted_at: datetime
    history: list[HistoryEntry]


class ContactView(BaseModel):
    """The citizen's contact, for the staff handling the complaint."""

    feedback_id: str
    name: str | None = None
    phone: str | None = None
    email: str | None = None
