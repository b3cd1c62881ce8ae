"""Bounded query parameters the services share: paging, list order and years.

An unbounded integer reaches the database as a 64-bit integer, or overflows it (a 500 on
SQLite and PostgreSQL alike); with these bounds such input is a 422 naming the parameter.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import Query

#: Years the appraisal calendar knows (periods and plans are created within them).
MIN_YEAR, MAX_YEAR = 2000, 2100
#: The largest INTEGER column value of PostgreSQL (SQLite's are 64-bit): a parameter compared
#: with such a column must not exceed it, or PostgreSQL cannot even bind it.
MAX_INTEGER = 2**31 - 1
#: Far beyond any list, within a 64-bit OFFSET.
MAX_OFFSET = 1_000_000_000

Limit = Annotated[int, Query(ge=1, le=500, description="Items per page (at most 500).")]
Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="Items to skip.")]
Year = Annotated[int, Query(ge=MIN_YEAR, le=MAX_YEAR, description="A calendar year.")]
OptionalYear = Annotated[
    int | None, Query(ge=MIN_YEAR, le=MAX_YEAR, description="Only this calendar year.")
]
#: The order of a list by time: newest first (the default of every list that takes it).
Order = Annotated[
    Literal["newest", "oldest"],
    Query(description="`newest` first (the default) or `oldest` first."),
]
