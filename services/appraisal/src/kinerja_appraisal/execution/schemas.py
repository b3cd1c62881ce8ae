"""Request and response models of realisations, feedback notes and citizen feedback."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field, HttpUrl, TypeAdapter, ValidationInfo, field_validator

from kinerja_shared.schemas import RequestModel


class Evidence(RequestModel):
    """One piece of bukti dukung: a link, a number or a note."""

    kind: Literal["link", "number", "note"]
    value: str = Field(min_length=1, max_length=2000, description="A link is an http(s) URL")
    description: str | None = Field(default=None, max_length=500)

    @field_validator("value")
    @classmethod
    def _links_are_web_addresses(cls, value: str, info: ValidationInfo) -> str:
        # Shown to reviewers as a link: `javascript:`, `data:` and the like must not get in.
        if info.data.get("kind") == "link":
            _WEB_ADDRESS.validate_python(value)
        return value


_WEB_ADDRESS = TypeAdapter(HttpUrl)


class RealisationIn(RequestModel):
    """What the employee achieved on an indicator in a period."""

    indicator_id: str = Field(max_length=32)
    period_id: str = Field(max_length=32)
    value: str = Field(min_length=1, max_length=200)
    note: str | None = Field(default=None, max_length=2000)
    evidence: list[Evidence] = Field(default_factory=list, max_length=50)


class RealisationPublic(BaseModel):
    """A realisation as the API shows it."""

    id: str
    indicator_id: str
    employee_id: str
    period_id: str
    value: str
    note: str | None
    evidence: list[Evidence]
    updated_at: datetime


class FeedbackNoteIn(RequestModel):
    """A continuous-feedback note from the supervisor."""

    text: str = Field(min_length=1, max_length=4000)
    period_id: str | None = Field(default=None, max_length=32)


class FeedbackNotePublic(BaseModel):
    """A feedback note as the API shows it."""

    id: str
    employee_id: str
    author_id: str
    period_id: str | None
    text: str
    created_at: datetime


class CitizenFeedbackPublic(BaseModel):
    """The citizen feedback summary of an employee and period (from the reporting service)."""

    employee_id: str
    period_key: str
    responses: int
    minimum_responses: int
    sufficient: bool
    u6_mean: str | None
    u7_mean: str | None
    overall_rating_mean: str | None
    satisfaction_index: str | None
    computed_at: datetime
