"""Exports (CSV and XLSX parse back to the JSON numbers) and who may read what."""

from __future__ import annotations

import csv
import io

import httpx
import pytest
from openpyxl import load_workbook
from reporting.conftest import token
from reporting.feeding import Feeder, all_nine, feedback, service_point, unit

from kinerja_reporting.settings import ReportingSettings

URL = "/api/v1/reporting/ikm/units"


@pytest.fixture
async def two_units(feeder: Feeder) -> None:
    """A city with two departments, one with a kelurahan below it, each with feedback."""
    await feeder.send(unit("city"), unit("d1", "city"), unit("k1", "d1"), unit("d2", "city"))
    await feeder.send(service_point("s1", "k1"), service_point("s2", "d2"))
    await feeder.send(feedback("s1", "k1", all_nine(4)), feedback("s2", "d2", all_nine(3)))


@pytest.mark.usefixtures("two_units")
async def test_csv_and_xlsx_carry_the_same_numbers_as_json(
    client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    params = {"period": "2026-03"}
    as_json = (await client.get(URL, params=params, headers=analyst)).json()
    expected = {i["scope_id"]: (i["respondents"], i["ikm"]) for i in as_json["items"]}
    assert expected == {
        "city": (2, "87.50"),
        "d1": (1, "100.00"),
        "k1": (1, "100.00"),
        "d2": (1, "75.00"),
    }
    response = await client.get(URL, params={**params, "format": "csv"}, headers=analyst)
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert {r["scope_id"]: (int(r["respondents"]), r["ikm"]) for r in rows} == expected
    sheet = await client.get(
        URL,
        params=params,
        headers={
            **analyst,
            "Accept": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        },
    )
    book = load_workbook(io.BytesIO(sheet.content))
    values = list(book.active.iter_rows(values_only=True))
    header = list(values[0])
    found = {
        r[header.index("scope_id")]: (r[header.index("respondents")], r[header.index("ikm")])
        for r in values[1:]
    }
    assert found == {k: (n, float(v)) for k, (n, v) in expected.items()}


@pytest.mark.usefixtures("two_units")
async def test_json_lists_are_paginated(client: httpx.AsyncClient, analyst: dict[str, str]) -> None:
    page = (
        await client.get(
            URL, params={"period": "2026-03", "limit": 2, "offset": 2}, headers=analyst
        )
    ).json()
    assert page["total"] == 4
    assert [i["scope_id"] for i in page["items"]] == ["d2", "k1"]


async def test_an_unknown_format_is_a_422(
    client: httpx.AsyncClient, analyst: dict[str, str]
) -> None:
    response = await client.get(URL, params={"period": "2026", "format": "pdf"}, headers=analyst)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "query.format"


@pytest.mark.usefixtures("two_units")
async def test_a_unit_head_reads_only_their_subtree(
    client: httpx.AsyncClient, settings: ReportingSettings
) -> None:
    head = token(settings, "unit_head", unit_code="d1")
    listed = (await client.get(URL, params={"period": "2026-03"}, headers=head)).json()
    assert sorted(i["scope_id"] for i in listed["items"]) == ["d1", "k1"]
    assert (
        await client.get(f"{URL}/k1", params={"period": "2026"}, headers=head)
    ).status_code == 200
    refused = await client.get(f"{URL}/d2", params={"period": "2026"}, headers=head)
    assert refused.status_code == 403
    assert refused.headers["content-type"] == "application/problem+json"


@pytest.mark.usefixtures("two_units")
@pytest.mark.parametrize(
    ("roles", "claims", "status"),
    [
        (("analyst",), {}, 200),
        (("bkpsdm_admin",), {}, 200),
        (("external_system",), {"scopes": "reports:read"}, 200),
        (("external_system",), {"scopes": "appraisal:read"}, 403),
        (("employee",), {"employee_id": "e1"}, 403),
        (("citizen",), {}, 403),
    ],
)
async def test_reports_need_a_reading_role_or_scope(
    client: httpx.AsyncClient,
    settings: ReportingSettings,
    roles: tuple[str, ...],
    claims: dict[str, str],
    status: int,
) -> None:
    headers = token(settings, *roles, **claims)
    response = await client.get(f"{URL}/d2", params={"period": "2026"}, headers=headers)
    assert response.status_code == status


async def test_reports_need_a_token(client: httpx.AsyncClient) -> None:
    response = await client.get(f"{URL}/d2", params={"period": "2026"})
    assert response.status_code == 401


async def test_only_bkpsdm_may_rebuild(client: httpx.AsyncClient, analyst: dict[str, str]) -> None:
    response = await client.post("/api/v1/reporting/admin/rebuild", headers=analyst)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "params",
    [
        {"period": "0001"},
        {"period": "0001-01", "count": "60"},
        {"period": "9999-Q4"},
        {"period": "2026-Q5"},
        {"period": "' OR 1=1 --"},
        {"period": "2026", "count": "0"},
        {"period": "2026", "count": "x"},
        {"period": "2026", "subunits": "maybe"},
    ],
)
async def test_odd_query_parameters_get_a_problem_not_a_500(
    client: httpx.AsyncClient, analyst: dict[str, str], params: dict[str, str]
) -> None:
    response = await client.get(f"{URL}/d2/trend", params=params, headers=analyst)
    assert response.status_code == 422
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["errors"]


async def test_the_openapi_document_is_served_under_the_prefix(client: httpx.AsyncClient) -> None:
    response = await client.get("/api/v1/reporting/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/reporting/ikm/units/{unit_id}" in paths
    assert "/api/v1/reporting/admin/rebuild" in paths
