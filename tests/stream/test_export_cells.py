"""`kinerja-events export --format csv`: text a spreadsheet would evaluate arrives as text."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest

from kinerja_shared.events.types.feedback import FeedbackCommentPublished
from kinerja_shared.stream.export import Writer
from kinerja_shared.stream.reader import StreamRecord

COMMENTS = ["=cmd|' /C calc'!A0", "+1+1", "-1+1", "@SUM(1)", "\t=1", "\r=1", "  =1", "\uff0b1"]


def record(comment: str, offset: int) -> StreamRecord:
    payload = FeedbackCommentPublished(
        feedback_id=f"fb-{offset}",
        service_point_id="sp-1",
        unit_id="unit-1",
        comment_redacted=comment,
        published_at=datetime(2026, 3, 1, tzinfo=UTC),
    )
    return StreamRecord(
        topic="kinerja.feedback.comments",
        partition=0,
        offset=offset,
        key=payload.key(),
        timestamp_ms=0,
        event=payload.to_event(source="/kinerja/feedback"),
    )


@pytest.mark.parametrize("comment", COMMENTS)
def test_an_exported_csv_cell_that_would_be_a_formula_starts_with_a_single_quote(
    tmp_path: Path, comment: str
) -> None:
    writer = Writer(tmp_path / "c.csv", "csv", {FeedbackCommentPublished.cloudevents_type()})
    writer.write(record(comment, 7))
    writer.close()
    with (tmp_path / "c.csv").open(newline="") as file:
        (row,) = list(csv.DictReader(file))
    assert row["data.comment_redacted"] == "'" + comment
    assert row["offset"] == "7"
