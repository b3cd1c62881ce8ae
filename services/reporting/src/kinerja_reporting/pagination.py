"""Paginated JSON lists (the Page model is the shared one)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Query

from kinerja_shared.schemas import Page

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page (at most 500).")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]

__all__ = ["Limit", "Offset", "Page"]
