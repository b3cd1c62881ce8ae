"""Every HTTP router of the service, in the order they appear in the OpenAPI document."""

from __future__ import annotations

from fastapi import APIRouter

from kinerja_feedback.complaints.endpoints import router as complaints
from kinerja_feedback.erasure.endpoints import router as erasure
from kinerja_feedback.follow_up.endpoints import router as follow_up
from kinerja_feedback.moderation.endpoints import router as moderation
from kinerja_feedback.open311.endpoints import router as open311
from kinerja_feedback.service_points.endpoints import router as service_points
from kinerja_feedback.service_users.endpoints import router as service_users
from kinerja_feedback.submissions.endpoints import router as submissions
from kinerja_feedback.survey.endpoints import router as survey
from kinerja_feedback.tracking.endpoints import router as tracking

#: The service's own API, below PREFIX.
PREFIX = "/api/v1/feedback"
ROUTERS: list[APIRouter] = [
    survey,
    service_points,
    submissions,
    tracking,
    moderation,
    complaints,
    service_users,
    erasure,
    follow_up,
]

#: Open311 GeoReport v2, below its own OPEN311_PREFIX (after ROUTERS in the document).
OPEN311_PREFIX = "/api/v1/open311"
OPEN311_ROUTERS: list[APIRouter] = [open311]
