"""A moderator's masks: ranges of a comment hidden before it is published (pure).

Moderators may hide more of what a citizen wrote (a name, a detail that identifies someone),
never write text of their own: a mask replaces a range of characters with a fixed marker,
so the published comment is always the citizen's words with parts hidden.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

from pydantic import BaseModel, ConfigDict, Field, model_validator

MARKER = "[disamarkan]"


class MaskSpan(BaseModel):
    """Characters start (inclusive) to end (exclusive) of the comment, counted in Unicode
    code points as the comment is returned by the API."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    start: int = Field(ge=0)
    end: int = Field(gt=0)

    @model_validator(mode="after")
    def _not_empty(self) -> MaskSpan:
        if self.end <= self.start:
            raise ValueError("a mask ends after it starts")
        return self


def apply_masks(text: str, spans: Sequence[MaskSpan]) -> str:
    """The text with each span replaced by the marker; spans must lie within the text and
    not overlap (ValueError otherwise). Touching spans become one marker each."""
    ordered = sorted(spans, key=lambda s: s.start)
    for span in ordered:
        if span.end > len(text):
            raise ValueError(
                f"a mask ends at {span.end}, after the comment's {len(text)} characters"
            )
    for first, second in itertools.pairwise(ordered):
        if second.start < first.end:
            raise ValueError("masks overlap")
    pieces: list[str] = []
    position = 0
    for span in ordered:
        pieces.append(text[position : span.start])
        pieces.append(MARKER)
        position = span.end
    pieces.append(text[position:])
    return "".join(pieces)
