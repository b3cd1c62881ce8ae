"""The base of request bodies: unknown fields and text a database cannot store are refused
(422, naming the field), and the page of a list.

PostgreSQL cannot store U+0000 in text, and no database can store an unpaired surrogate
(U+D800–U+DFFF, which JSON can carry as a `\\ud800` escape but UTF-8 cannot encode);
refusing them up front keeps such input a clear 422 on both databases instead of a database
error or a 500.
"""

from __future__ import annotations

import re
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator

#: What no text column can hold: NUL and unpaired surrogates.
UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
UNSTORABLE_TEXT = "text may not contain NUL (U+0000) or unpaired surrogate characters"


def unstorable(value: Any) -> bool:
    """Whether a value holds text no database can store, in its strings, list items or dict
    keys and values. Nested request models check their own fields, so they are not entered."""
    if isinstance(value, str):
        return UNSTORABLE.search(value) is not None
    if isinstance(value, dict):
        return any(unstorable(k) or unstorable(v) for k, v in value.items())
    if isinstance(value, list | tuple | set | frozenset):
        return any(unstorable(v) for v in value)
    return False


class RequestModel(BaseModel):
    """A request body: unknown fields are refused (422), and so is any field holding text no
    database can store (422 naming that field, e.g. `body.rhk.0.description`)."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="after")
    @classmethod
    def _storable_text(cls, value: Any) -> Any:
        if unstorable(value):
            raise ValueError(UNSTORABLE_TEXT)
        return value


T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: the items, the total count and where the page starts."""

    items: list[T]
    total: int
    limit: int
    offset: int
