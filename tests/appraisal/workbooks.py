"""XLSX files for import tests, written the way a spreadsheet may write them."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Sequence
from xml.sax.saxutils import escape

from openpyxl import Workbook

SHEET = "xl/worksheets/sheet1.xml"
EMPLOYEE_HEADER = ("nip", "name", "kind", "position", "unit_code", "supervisor_nip", "is_head")


def _row(values: Sequence[str]) -> bytes:
    cells = "".join(f'<c t="inlineStr"><is><t>{escape(v)}</t></is></c>' for v in values)
    return f"<row>{cells}</row>".encode()


def repeated_rows(header: Sequence[str], row: Sequence[str], count: int) -> bytes:
    """A workbook whose sheet has the header and `count` copies of one row, deflated hard:
    identical rows shrink some 300 times, so a small file holds a huge sheet (a zip bomb)."""
    template = io.BytesIO()
    Workbook().save(template)
    out = io.BytesIO()
    with (
        zipfile.ZipFile(template) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as target,
    ):
        for item in source.infolist():
            if item.filename != SHEET:
                target.writestr(item.filename, source.read(item.filename))
        line = _row(row)
        target.writestr(
            SHEET,
            b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b"<sheetData>" + _row(header) + line * count + b"</sheetData></worksheet>",
        )
    return out.getvalue()
