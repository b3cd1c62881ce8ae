"""Turning model rows into plain JSON-able dicts (audit before/after, snapshots)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from kinerja_appraisal.models import Base


def as_dict(row: Base | None) -> dict[str, Any] | None:
    """A row's columns as JSON-safe values (dates as ISO strings)."""
    if row is None:
        return None
    out: dict[str, Any] = {}
    for key, value in row.model_dump().items():
        out[key] = value.isoformat() if isinstance(value, date | datetime) else value
    return out
