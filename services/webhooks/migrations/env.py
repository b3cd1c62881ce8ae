"""Alembic environment of the webhooks service."""

from kinerja_shared.alembic_env import run_migrations
from kinerja_webhooks.models import metadata
from kinerja_webhooks.settings import WebhooksSettings

run_migrations(metadata, WebhooksSettings().database_url)
