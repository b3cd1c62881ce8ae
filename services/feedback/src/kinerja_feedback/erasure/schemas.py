"""Request and response models of erasure requests."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, Field, StringConstraints, model_validator

from kinerja_shared.schemas import RequestModel

Id = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=64)]


class ErasureCreate(RequestModel):
    """Whose data to erase: submissions by public id or tracking code, and/or every submission
    that left this phone number or e-mail address as its contact."""

    reference: Annotated[
        str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)
    ] = Field(description="The request's reference, e.g. the letter number (no personal data)")
    feedback_ids: list[Id] = Field(default_factory=list, max_length=100)
    tracking_code: Annotated[str, StringConstraints(max_length=80)] | None = None
    phone: Annotated[str, StringConstraints(max_length=40)] | None = None
    email: Annotated[str, StringConstraints(max_length=254)] | None = None

    @model_validator(mode="after")
    def _someone(self) -> ErasureCreate:
        if not (self.feedback_ids or self.tracking_code or self.phone or self.email):
            raise ValueError("name submissions, a tracking code, a phone number or an e-mail")
        return self


class ErasurePublic(BaseModel):
    """An erasure done: which submissions, by whom, when (no personal data)."""

    erasure_id: str
    reference: str
    feedback_ids: list[str]
    requested_by: str
    at: datetime
