"""Alembic environment of the feedback service."""

from kinerja_feedback.models import metadata
from kinerja_feedback.settings import FeedbackSettings
from kinerja_shared.alembic_env import run_migrations

run_migrations(metadata, FeedbackSettings().database_url)
