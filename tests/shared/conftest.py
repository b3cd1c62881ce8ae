"""Fixtures for the shared library's tests."""

from support.notes_service import database_url, unique

__all__ = ["database_url", "unique"]
