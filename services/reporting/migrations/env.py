"""Alembic environment of the reporting service."""

from kinerja_reporting.models import metadata
from kinerja_reporting.settings import ReportingSettings
from kinerja_shared.alembic_env import run_migrations

run_migrations(metadata, ReportingSettings().database_url)
