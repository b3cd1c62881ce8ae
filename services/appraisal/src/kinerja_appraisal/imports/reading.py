"""Reading CSV and XLSX files into rows of text keyed by lower-case header names.

Files are read as streams, row by row, and refused as soon as they break a bound: more rows
than allowed (counted while reading, blank rows too), or an XLSX whose parts expand to more
than allowed (checked before parsing; Python's zipfile never decompresses more than a part
declares, so the declared sizes bound the work). An XLSX's sheets are streamed once to count
their rows, stopping at the first one too many, before openpyxl opens the workbook: openpyxl
reads every sheet whole to learn its size when the sheet does not declare its dimension, so
its own row iterator would meet the cap only after that. Reading is synchronous and
CPU-bound: the endpoints run it in a worker thread. XML is parsed with defusedxml (openpyxl
uses it too once it is installed), which refuses entity expansion and external entities.
"""

from __future__ import annotations

import csv
import io
import itertools
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import IO

from defusedxml import ElementTree
from openpyxl import load_workbook

#: A row of a worksheet (SpreadsheetML), as ElementTree names it.
ROW_TAG = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}row"


class UnreadableFile(ValueError):
    """The file is not a CSV or XLSX file this importer can read, or too big to read."""


@dataclass(frozen=True)
class Bounds:
    """How much of a file is read: data rows after the header, and an XLSX's expanded size."""

    max_rows: int
    max_expanded_bytes: int

    def check_row(self, count: int) -> None:
        """Refuse the file once its `count`-th row (after the header) is more than allowed."""
        if count > self.max_rows:
            raise UnreadableFile(
                f"at most {self.max_rows} rows per file (blank rows count too); the file has more"
            )


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


def read_rows(filename: str, stream: IO[bytes], bounds: Bounds) -> list[Row]:
    """Parse a CSV (comma or semicolon, UTF-8) or an XLSX file (its first sheet)."""
    lower = filename.lower()
    magic = stream.read(2)
    stream.seek(0)
    if lower.endswith(".xlsx") or magic == b"PK":
        return _read_xlsx(stream, bounds)
    if lower.endswith((".csv", ".txt")) or not lower:
        return _read_csv(stream, bounds)
    raise UnreadableFile(f"{filename!r} is neither a .csv nor a .xlsx file")


def _read_csv(stream: IO[bytes], bounds: Bounds) -> list[Row]:
    text = io.TextIOWrapper(stream, encoding="utf-8-sig", newline="")
    try:
        return list(_csv_rows(text, bounds))
    except UnicodeDecodeError as exc:
        raise UnreadableFile(f"the CSV file is not UTF-8 text: {exc}") from exc
    except csv.Error as exc:
        raise UnreadableFile(f"the CSV file cannot be read: {exc}") from exc
    finally:
        text.detach()  # the upload stays open for its owner


def _csv_rows(text: io.TextIOWrapper, bounds: Bounds) -> Iterator[Row]:
    first = text.readline()
    if not first:
        raise UnreadableFile("the file is empty")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.reader(itertools.chain([first], text), delimiter=delimiter)
    header = _header(list(next(reader)))
    for count, values in enumerate(reader, start=1):
        bounds.check_row(count)
        if not any(v.strip() for v in values):
            continue
        row = Row(line=reader.line_num, values=dict(zip(header, values, strict=False)))
        row.problems.extend(
            (name, "contains a NUL character") for name, v in row.values.items() if "\x00" in v
        )
        if len(values) > len(header):
            row.problems.append(("row", f"{len(values)} cells but {len(header)} columns"))
        yield row


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


def _count_rows(part: IO[bytes], bounds: Bounds) -> None:
    """Stream a worksheet's XML, refusing it at its first row beyond the cap."""
    rows = 0
    for _event, element in ElementTree.iterparse(part):
        if element.tag == ROW_TAG:
            rows += 1
            bounds.check_row(rows - 1)  # the first row is the header
        element.clear()


def _check_workbook(stream: IO[bytes], bounds: Bounds) -> None:
    """Refuse a workbook that expands to more than allowed, or has a sheet of more rows."""
    try:
        with zipfile.ZipFile(stream) as archive:
            parts = archive.infolist()
            expanded = sum(part.file_size for part in parts)
            if expanded > bounds.max_expanded_bytes:
                raise UnreadableFile(
                    f"the XLSX file expands to {expanded} bytes; at most"
                    f" {bounds.max_expanded_bytes} are read"
                )
            for part in parts:
                if part.filename.startswith("xl/worksheets/") and part.filename.endswith(".xml"):
                    with archive.open(part) as sheet:
                        _count_rows(sheet, bounds)
    except UnreadableFile:
        raise
    except Exception as exc:  # zipfile, zlib and the XML parser raise many types
        raise UnreadableFile(f"the XLSX file cannot be read: {type(exc).__name__}") from exc
    finally:
        stream.seek(0)


def _read_xlsx(stream: IO[bytes], bounds: Bounds) -> list[Row]:
    _check_workbook(stream, bounds)
    try:
        workbook = load_workbook(stream, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many types for a bad file
        raise UnreadableFile(f"the XLSX file cannot be read: {type(exc).__name__}") from exc
    try:
        return list(_xlsx_rows(workbook.worksheets[0].iter_rows(values_only=True), bounds))
    except UnreadableFile:
        raise
    except Exception as exc:  # a sheet broken further in (bad XML, truncated part)
        raise UnreadableFile(f"the XLSX file cannot be read: {type(exc).__name__}") from exc
    finally:
        workbook.close()


def _xlsx_rows(iterator: Iterator[tuple[object, ...]], bounds: Bounds) -> Iterator[Row]:
    try:
        header = _header(list(next(iterator)))
    except StopIteration as exc:
        raise UnreadableFile("the sheet is empty") from exc
    for line, cells in enumerate(iterator, start=2):
        bounds.check_row(line - 1)
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
        yield row
