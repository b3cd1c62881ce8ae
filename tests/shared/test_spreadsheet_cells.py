"""The spreadsheet-safe cell rules shared by every CSV and XLSX export (pure)."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest

from kinerja_shared.spreadsheet_cells import CsvWriter, neutralised, safe_cell, xlsx_cell


@pytest.mark.parametrize(
    "text",
    ["=1", "+1+1", "-1+1", "@A1", "\tx", "\rx", " =1", "\u200b=1", "\ufeff+1", "\uff20A1", "-"],
)
def test_text_a_spreadsheet_could_evaluate_gets_a_leading_single_quote(text: str) -> None:
    assert neutralised(text) == "'" + text


@pytest.mark.parametrize("text", ["", "Loket 1", "a=b", "e-KTP", "'=1", "-12.50", "+3", "1e5"])
def test_ordinary_text_and_plain_numbers_are_left_alone(text: str) -> None:
    assert neutralised(text) == text


@pytest.mark.parametrize("value", [None, True, 0, -3, -2.5, Decimal("-25.00")])
def test_numbers_booleans_and_empty_cells_stay_what_they_are(value: object) -> None:
    assert safe_cell(value) is value


def test_a_csv_row_quotes_text_and_leaves_numbers_bare() -> None:
    out = io.StringIO()
    CsvWriter(out).writerow(['=1+2";=1+2', -1, Decimal("-2.50"), None, "Loket"])
    assert out.getvalue() == '"\'=1+2"";=1+2",-1,-2.50,"","Loket"\r\n'


def test_an_xlsx_cell_drops_control_characters_the_format_cannot_hold() -> None:
    assert xlsx_cell("\x01=1\x1f") == "'=1"
    assert xlsx_cell("a\tb\nc") == "a\tb\nc"
