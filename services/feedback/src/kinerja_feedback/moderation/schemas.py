"""Request and response models of moderation: decisions, the queue, originals and the log."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from kinerja_feedback.domain.moderator_masks import MaskSpan
from kinerja_shared.schemas import RequestModel

Reason = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1000)]


class Decision(RequestModel):
    """Publish a pending comment (masking more of it if need be) or reject it with a reason."""

    decision: Literal["approve", "reject"]
    reason: Reason | None = None
    mask: list[MaskSpan] = Field(
        default_factory=list,
        max_length=100,
        description="Character ranges of the comment (as shown in the queue) to hide when "
        "publishing; a moderator can hide text, never write it",
    )

    @model_validator(mode="after")
    def _reason_for_rejection(self) -> Decision:
        if self.decision == "reject" and not self.reason:
            raise ValueError("a rejection needs a reason")
        if self.decision == "reject" and self.mask:
            raise ValueError("a rejected comment is not published, so there is nothing to mask")
        return self


ScoreVerdict = Literal["count", "discard"]


class ScoresDecision(RequestModel):
    """Count or discard held scores: for the unit's IKM (`unit`, when they were held as
    suspicious) and for the named employee's summary (`staff`, when held by the
    anti-stuffing rules)."""

    unit: ScoreVerdict | None = None
    staff: ScoreVerdict | None = None
    reason: Reason

    @model_validator(mode="after")
    def _something_decided(self) -> ScoresDecision:
        if self.unit is None and self.staff is None:
            raise ValueError("decide on the unit's scores, the staff attribution, or both")
        return self


class QueueItem(BaseModel):
    """A submission waiting for a moderator: its comment, or its held scores, or both."""

    feedback_id: str
    unit_id: str
    service_point_id: str
    employee_id: str | None
    submitted_at: datetime
    comment_redacted: str | None
    abuse_flags: list[str]
    suspicion_reasons: list[str]
    answers: dict[str, int]
    overall_rating: int | None
    is_complaint: bool
    moderation_status: str = Field(description="The comment: pending, approved, rejected, ...")
    counted: bool = Field(description="The scores count in the unit's IKM")
    scores_held: bool = Field(description="The scores wait for a decision (suspicious)")
    staff_status: str | None = Field(
        description="Attribution to the named employee: counted, held or discarded"
    )
    staff_hold_reasons: list[str]


class Original(BaseModel):
    """The comment as the citizen wrote it (moderators only; the read is logged)."""

    feedback_id: str
    comment: str | None


class LoggedAction(BaseModel):
    """One logged moderation action or read of personal data."""

    action: str
    reason: str | None
    actor: str
    at: datetime
