"""Paginated JSON lists (the Page model is the shared one)."""

from __future__ import annotations

from kinerja_shared.query import Limit, Offset
from kinerja_shared.schemas import Page

__all__ = ["Limit", "Offset", "Page"]
