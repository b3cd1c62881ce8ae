"""A moderator's masks hide ranges of a comment and never add words of their own."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kinerja_feedback.domain.moderator_masks import MARKER, MaskSpan, apply_masks
from kinerja_feedback.domain.wita import WITA, parse_moment


def test_each_range_becomes_one_marker_and_the_rest_stays_as_written() -> None:
    text = "Bu Sari dan Pak Made ramah"
    masked = apply_masks(text, [MaskSpan(start=12, end=20), MaskSpan(start=0, end=7)])
    assert masked == f"{MARKER} dan {MARKER} ramah"


@pytest.mark.parametrize(
    "spans",
    [
        [MaskSpan(start=0, end=99)],
        [MaskSpan(start=0, end=5), MaskSpan(start=4, end=8)],
    ],
)
def test_ranges_outside_the_text_or_overlapping_are_refused(spans: list[MaskSpan]) -> None:
    with pytest.raises(ValueError, match="mask"):
        apply_masks("Bu Sari ramah", spans)


def test_an_empty_range_is_not_a_mask() -> None:
    with pytest.raises(ValidationError):
        MaskSpan(start=3, end=3)


def test_a_moment_without_an_offset_is_wita_and_a_bare_end_date_takes_its_whole_day() -> None:
    assert parse_moment("2026-03-04T10:00:00").utcoffset() == WITA.utcoffset(None)
    assert parse_moment("2026-03-04").isoformat() == "2026-03-04T00:00:00+08:00"
    assert parse_moment("2026-03-04", end_of_day=True).isoformat() == "2026-03-05T00:00:00+08:00"
    assert parse_moment("2026-03-04T02:00:00Z").hour == 2
    for bad in ("yesterday", "2026-02-30", ""):
        with pytest.raises(ValueError, match=r"."):
            parse_moment(bad)
