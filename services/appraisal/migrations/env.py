"""Alembic environment of the appraisal service."""

from kinerja_appraisal.models import metadata
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.alembic_env import run_migrations

run_migrations(metadata, AppraisalSettings().database_url)
