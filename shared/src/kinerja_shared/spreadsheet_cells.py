"""Cells a spreadsheet never evaluates: OWASP's CSV-injection rules for every CSV and XLSX export.

A spreadsheet reads a cell as a formula when its text begins with `=`, `+`, `-` or `@` (some
also with their full-width forms, and some after skipping spaces, tabs and line breaks);
through DDE such a formula can run commands on the analyst's machine. Text that could begin
a formula gets a leading single quote, the spreadsheets' own mark for "this is text", and in
CSV every text field is quoted with embedded quotes doubled. Numbers, booleans and empty cells
stay what they are, and so does text that is a plain number (it cannot be a formula).
Used by the reporting service's CSV and XLSX reports and by `kinerja-events export`; the
standard `csv` module's writer does the quoting (a library such as defusedcsv skips tabs,
carriage returns and leading blanks, and knows nothing of XLSX).
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import IO, Any

#: OWASP's list: a cell must not begin with any of these.
OWASP_STARTS = frozenset("=+-@\t\r")
#: Characters that begin a formula once blanks before them are skipped (with the full-width
#: forms East Asian input methods type, which some spreadsheets accept).
FORMULA_STARTS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
QUOTE = "'"
_PLAIN_NUMBER = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
#: Control characters an XLSX file cannot hold (openpyxl refuses them); tab and line breaks
#: are allowed.
_NOT_IN_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

Cell = str | int | float | Decimal | bool | None


def _blank(char: str) -> bool:
    """Whether a spreadsheet (or a user tidying the file) may skip the character: white space,
    and invisible format characters such as zero-width spaces and the byte-order mark."""
    return char.isspace() or unicodedata.category(char) in ("Cf", "Cc")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read the text as a formula (or a DDE command)."""
    if not text or _PLAIN_NUMBER.fullmatch(text):
        return False
    if text[0] in OWASP_STARTS:
        return True
    first = next((char for char in text if not _blank(char)), "")
    return first in FORMULA_STARTS


def neutralised(text: str) -> str:
    """The text with a leading single quote when a spreadsheet could evaluate it."""
    return QUOTE + text if is_formula_like(text) else text


def safe_cell(value: Any) -> Cell:
    """A value as a spreadsheet cell: None, booleans and numbers as they are, anything else as
    neutralised text."""
    if value is None or isinstance(value, bool | int | float | Decimal):
        return value
    return neutralised(value if isinstance(value, str) else str(value))


class CsvWriter:
    """A CSV writer whose every cell is safe: text neutralised and quoted, numbers bare."""

    def __init__(self, file: IO[str]) -> None:
        self._writer = csv.writer(file, quoting=csv.QUOTE_NONNUMERIC)

    def writerow(self, row: Iterable[Any]) -> None:
        """Write one row."""
        self._writer.writerow([safe_cell(value) for value in row])


class CsvDictWriter:
    """`csv.DictWriter` with safe cells: a header row, then one row per mapping."""

    def __init__(self, file: IO[str], fieldnames: Sequence[str]) -> None:
        self.fieldnames = list(fieldnames)
        self._writer = CsvWriter(file)

    def writeheader(self) -> None:
        """Write the header row."""
        self._writer.writerow(self.fieldnames)

    def writerow(self, row: Mapping[str, Any]) -> None:
        """Write one row; missing fields are empty."""
        self._writer.writerow([row.get(name) for name in self.fieldnames])


def xlsx_cell(value: Any) -> Cell:
    """A value as an XLSX cell: safe (see `safe_cell`), never a formula, without the control
    characters the format cannot hold."""
    cell = safe_cell(value)
    if isinstance(cell, str):
        return _NOT_IN_XLSX.sub("", cell)
    return cell
