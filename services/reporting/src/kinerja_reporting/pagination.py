"""Paginated JSON lists."""

from __future__ import annotations

from typing import Annotated, Generic, TypeVar

from fastapi import Query
from pydantic import BaseModel

T = TypeVar("T")

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page (at most 500).")]
Offset = Annotated[int, Query(ge=0, description="Items to skip.")]


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total count and where the page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int
