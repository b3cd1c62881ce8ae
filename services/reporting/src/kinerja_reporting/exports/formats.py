"""Content negotiation and rendering of reports: JSON, CSV, XLSX and SVG.

CSV and XLSX cells go through `kinerja_shared.spreadsheet_cells`: text a spreadsheet could
evaluate as a formula arrives as text, numbers as numbers.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from fastapi import Request, Response
from openpyxl import Workbook
from pydantic import BaseModel

from kinerja_shared.problems import InvalidInput
from kinerja_shared.spreadsheet_cells import CsvWriter, xlsx_cell

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SVG = "image/svg+xml"


class Format(StrEnum):
    """Representations a report can take."""

    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"
    SVG = "svg"


_ACCEPT = {
    "text/csv": Format.CSV,
    XLSX: Format.XLSX,
    SVG: Format.SVG,
    "application/json": Format.JSON,
}


@dataclass(frozen=True)
class Table:
    """A report as rows under named columns (what CSV and XLSX show)."""

    columns: Sequence[str]
    rows: Sequence[Sequence[Any]]


def negotiate(request: Request, requested: str | None, *, allowed: Sequence[Format]) -> Format:
    """The format asked for by ``?format=`` or else the Accept header (JSON by default)."""
    if requested is not None:
        try:
            chosen = Format(requested.lower())
        except ValueError:
            chosen = None
        if chosen is None or chosen not in allowed:
            names = ", ".join(f.value for f in allowed)
            raise InvalidInput(
                f"format {requested!r} is not available here; use one of {names}",
                field="query.format",
            )
        return chosen
    for part in request.headers.get("accept", "").split(","):
        media = part.split(";")[0].strip().lower()
        found = _ACCEPT.get(media)
        if found is not None and found in allowed:
            return found
    return Format.JSON


def _cell(value: Any) -> Any:
    """A report value as a cell's value: lists joined, decimals and numbers kept."""
    if isinstance(value, (list, tuple)):
        return "; ".join(str(v) for v in value)
    return value


def csv_bytes(table: Table) -> bytes:
    """The table as UTF-8 CSV with a header row (text quoted, numbers bare)."""
    buffer = io.StringIO()
    writer = CsvWriter(buffer)
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow(_cell(v) for v in row)
    return buffer.getvalue().encode()


def xlsx_bytes(table: Table, title: str) -> bytes:
    """The table as an XLSX workbook with one sheet (decimals as numbers)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31] or "report"
    sheet.append([xlsx_cell(c) for c in table.columns])
    for row in table.rows:
        cells = (_cell(v) for v in row)
        sheet.append([xlsx_cell(float(c) if isinstance(c, Decimal) else c) for c in cells])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def render(
    fmt: Format,
    *,
    body: BaseModel,
    table: Table | None = None,
    filename: str,
    svg: str | None = None,
) -> Response:
    """The response for a report in the chosen format."""
    if fmt is Format.CSV and table is not None:
        return Response(
            csv_bytes(table),
            media_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": f'attachment; filename="{filename}.csv"'},
        )
    if fmt is Format.XLSX and table is not None:
        return Response(
            xlsx_bytes(table, filename),
            media_type=XLSX,
            headers={"Content-Disposition": f'attachment; filename="{filename}.xlsx"'},
        )
    if fmt is Format.SVG and svg is not None:
        return Response(svg, media_type=SVG)
    return Response(body.model_dump_json(), media_type="application/json")
