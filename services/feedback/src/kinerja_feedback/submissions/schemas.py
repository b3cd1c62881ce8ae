"""Request and response models of a citizen's submission."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StrictInt, StringConstraints, model_validator

from kinerja_feedback.domain.complaint import ComplaintCategory
from kinerja_feedback.domain.survey import AgeBand, Education, Occupation, Sex
from kinerja_shared.law.skm import Unsur
from kinerja_shared.schemas import RequestModel

Score = Annotated[StrictInt, Field(ge=1, le=4)]
Rating = Annotated[StrictInt, Field(ge=1, le=5)]
ShortText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]


class RespondentProfile(RequestModel):
    """Optional profile fields of the SKM form (never published)."""

    age_band: AgeBand | None = None
    sex: Sex | None = None
    education: Education | None = None
    occupation: Occupation | None = None


class Contact(RequestModel):
    """How to reach the citizen for a reply; stored encrypted, shown only to handling staff."""

    name: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]
        | None
    ) = None
    phone: Annotated[str, StringConstraints(pattern=r"^\+?[0-9 ().\-]{6,20}$")] | None = None
    email: (
        Annotated[
            str,
            StringConstraints(
                pattern=r"^[^@\s]{1,64}@[^@\s]{1,185}\.[A-Za-z]{2,}$", max_length=254
            ),
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _reachable(self) -> Contact:
        if self.phone is None and self.email is None:
            raise ValueError("a contact needs a phone number or an e-mail address")
        return self


class FeedbackCreate(RequestModel):
    """A citizen's feedback: SKM answers, optional comment, complaint and contact."""

    service_point: Annotated[str, StringConstraints(min_length=1, max_length=80)] = Field(
        description="Id or QR slug of the service point"
    )
    service_type: ShortText | None = None
    staff_code: (
        Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)] | None
    ) = None
    visit_date: date = Field(description="WITA date of the visit; not in the future, not too old")
    answers: dict[Unsur, Score] = Field(default_factory=dict, description="U1..U9 -> 1..4")
    overall_rating: Rating | None = None
    comment: Annotated[str, StringConstraints(strip_whitespace=True, max_length=4000)] | None = None
    channel: Literal["app", "kiosk", "web"]
    respondent: RespondentProfile | None = None
    contact: Contact | None = None
    is_complaint: bool = False
    complaint_category: ComplaintCategory | None = None

    @model_validator(mode="after")
    def _something_to_say(self) -> FeedbackCreate:
        if not self.answers and not self.comment and self.overall_rating is None:
            raise ValueError("give at least one answer, an overall rating or a comment")
        if self.is_complaint and not self.comment:
            raise ValueError("a complaint needs a comment describing it")
        if self.complaint_category is not None and not self.is_complaint:
            raise ValueError("complaint_category is only for complaints (is_complaint=true)")
        return self


class ComplaintSummary(BaseModel):
    """Where a complaint stands and its deadlines."""

    status: str
    category: str
    first_response_due: date
    resolution_due: date
    overdue: list[str] = Field(default_factory=list)


class FeedbackReceipt(BaseModel):
    """What was stored, and the tracking code to follow it."""

    feedback_id: str = Field(description="The public id of the submission; it grants nothing")
    tracking_code: str = Field(
        description="The citizen's secret to follow, withdraw or reopen the submission; shown "
        "only here (and to a retry with the same Idempotency-Key), never stored in clear"
    )
    service_point_id: str
    service_point_name: str
    unit_id: str
    service_type: str | None
    staff_code: str | None
    channel: str
    visit_date: date
    survey_version: str
    answers: dict[str, int]
    overall_rating: int | None
    comment_redacted: str | None = Field(description="The comment as it will be published")
    comment_status: Literal["none", "pending_moderation"]
    respondent: RespondentProfile | None
    contact_stored: bool
    held_for_review: bool
    complaint: ComplaintSummary | None
    submitted_at: datetime
