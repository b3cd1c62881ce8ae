"""What an import answers: its report and the bad rows it found."""

from __future__ import annotations

from pydantic import BaseModel


class RowError(BaseModel):
    """A bad row: its line in the file, the column at fault and why."""

    line: int
    field: str
    reason: str


class ImportReport(BaseModel):
    """What an import found and did."""

    kind: str
    rows: int
    valid_rows: int
    created: int
    updated: int
    imported: bool
    errors: list[RowError]
