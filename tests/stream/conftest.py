"""Fixtures for the stream tests."""

from support.notes_service import unique

__all__ = ["unique"]
