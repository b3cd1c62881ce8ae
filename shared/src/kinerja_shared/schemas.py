"""The base of request bodies: unknown fields and NUL characters are refused (422).

PostgreSQL cannot store U+0000 in text; refusing it up front keeps such input a clear 422 on
both databases instead of a database error.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, model_validator


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


class RequestModel(BaseModel):
    """A request body: unknown fields and NUL characters are refused (422)."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _no_nul(cls, data: Any) -> Any:
        if _has_nul(data):
            raise ValueError("text may not contain NUL (U+0000) characters")
        return data


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total count and where the page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int
