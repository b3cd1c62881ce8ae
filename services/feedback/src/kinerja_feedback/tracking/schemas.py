"""Request models of the tracking routes: the code goes in the body, never in the URL."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, StringConstraints

from kinerja_feedback.complaints.schemas import Message
from kinerja_shared.schemas import RequestModel

Code = Annotated[str, StringConstraints(min_length=1, max_length=80)]


class TrackingCode(RequestModel):
    """One tracking code, as the citizen typed or scanned it (case, spaces, dashes ignored)."""

    tracking_code: Code = Field(description="e.g. KNJ-AB3D-EF7H-JK2M-NP4Q-RS5T-VW6X-YZ8C")


class TrackingReopen(TrackingCode):
    """Reopen a resolved or rejected complaint: the code and why."""

    reason: Message
