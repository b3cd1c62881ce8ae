"""Reading CSV and XLSX files into rows of text keyed by lower-case header names."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import date, datetime

from openpyxl import load_workbook


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX file this importer can read."""


@dataclass
class Row:
    """One data row with its line number in the file (the header is line 1)."""

    line: int
    values: dict[str, str]
    problems: list[tuple[str, str]] = field(default_factory=list)

    def get(self, name: str) -> str:
        """The stripped value of a column ('' when absent)."""
        return self.values.get(name, "").strip()


def _header(names: list[object]) -> list[str]:
    return [str(name or "").strip().lower().replace(" ", "_") for name in names]


def read_rows(filename: str, content: bytes) -> list[Row]:
    """Parse a CSV (comma or semicolon, UTF-8) or an XLSX file (its first sheet)."""
    lower = filename.lower()
    if lower.endswith(".xlsx") or content[:2] == b"PK":
        return _read_xlsx(content)
    if lower.endswith((".csv", ".txt")) or not lower:
        return _read_csv(content)
    raise UnreadableFile(f"{filename!r} is neither a .csv nor a .xlsx file")


def _read_csv(content: bytes) -> list[Row]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the CSV file is not UTF-8 text: {exc}") from exc
    lines = text.splitlines()
    if not lines:
        raise UnreadableFile("the file is empty")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header = _header(list(next(reader)))
    rows: list[Row] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        row = Row(line=line, values=dict(zip(header, values, strict=False)))
        row.problems.extend(
            (name, "contains a NUL character") for name, v in row.values.items() if "\x00" in v
        )
        if len(values) > len(header):
            row.problems.append(("row", f"{len(values)} cells but {len(header)} columns"))
        rows.append(row)
    return rows


def _cell(value: object) -> tuple[str, str | None]:
    """A cell as text, or a problem (NIPs stored as numbers lose digits in Excel)."""
    if value is None:
        return "", None
    if isinstance(value, bool):
        return ("ya" if value else "tidak"), None
    if isinstance(value, int):
        return str(value), None
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value)), None
        return str(value), "a number too long for a spreadsheet number; store it as text"
    if isinstance(value, datetime | date):
        return value.isoformat(), None
    return str(value), None


def _read_xlsx(content: bytes) -> list[Row]:
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise UnreadableFile(f"the XLSX file cannot be read: {type(exc).__name__}") from exc
    sheet = workbook.worksheets[0]
    iterator = sheet.iter_rows(values_only=True)
    try:
        header = _header(list(next(iterator)))
    except StopIteration as exc:
        raise UnreadableFile("the sheet is empty") from exc
    rows: list[Row] = []
    for line, cells in enumerate(iterator, start=2):
        if all(c is None or str(c).strip() == "" for c in cells):
            continue
        row = Row(line=line, values={})
        for name, value in zip(header, cells, strict=False):
            text, problem = _cell(value)
            row.values[name] = text
            if problem:
                row.problems.append((name, problem))
            if "\x00" in text:
                row.problems.append((name, "contains a NUL character"))
        rows.append(row)
    workbook.close()
    return rows
