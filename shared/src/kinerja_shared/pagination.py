"""Offset pagination of list endpoints: `Paging` reads `limit` and `offset` (the bounded
`kinerja_shared.query` types), `paginate` answers one page of an ordered query and its total."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, TypeVar

from fastapi import Depends
from pydantic import BaseModel
from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession
from sqlmodel import select
from sqlmodel.sql.expression import SelectOfScalar

from kinerja_shared.query import Limit, Offset
from kinerja_shared.schemas import Page

M = TypeVar("M")


class PageParams(BaseModel):
    """Which slice of a list to return."""

    limit: int
    offset: int


async def page_params(
    limit: Limit = 50,
    offset: Offset = 0,
) -> PageParams:
    """Read `limit` and `offset` from the query."""
    return PageParams(limit=limit, offset=offset)


Paging = Annotated[PageParams, Depends(page_params)]


async def paginate(
    session: AsyncSession, query: SelectOfScalar[M], page: PageParams
) -> tuple[Sequence[M], int]:
    """One page of an ordered query and the total number of matching rows."""
    total = await session.scalar(select(func.count()).select_from(query.subquery()))
    rows = await session.scalars(query.limit(page.limit).offset(page.offset))
    return rows.all(), int(total or 0)


__all__ = ["Page", "PageParams", "Paging", "page_params", "paginate"]
