"""Fixtures of the feedback service's tests (defined in feedback.fixtures)."""

from feedback.fixtures import app_factory, client, clock, feedback_db

__all__ = ["app_factory", "client", "clock", "feedback_db"]
