"""Imports are bounded: the upload's size before it is read, the rows while they are read, the
sheet's expanded size before it is parsed; parsing never holds up other requests."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import AsyncIterator
from typing import Any

import pytest
from appraisal.helpers import World, nip
from appraisal.workbooks import EMPLOYEE_HEADER, repeated_rows
from httpx import AsyncClient, Response

from kinerja_appraisal.imports import endpoints
from kinerja_appraisal.settings import AppraisalSettings

ROW = (nip(), "Pegawai", "pns", "Staf", "UNIT", "", "")
BOUNDARY = "kinerja-test-boundary"


def assert_refused(response: Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/problem+json"
    return dict(response.json())


def multipart(name: str, content: bytes) -> bytes:
    """A multipart/form-data body with one file field, as a browser sends it."""
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="{name}"\r\n'
        f"Content-Type: application/octet-stream\r\n\r\n".encode()
        + content
        + f"\r\n--{BOUNDARY}--\r\n".encode()
    )


class Chunks:
    """A chunked request body that counts how much of it was asked for."""

    def __init__(self, body: bytes, size: int = 64 * 1024) -> None:
        self.parts = [body[i : i + size] for i in range(0, len(body), size)]
        self.pulled = 0

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for part in self.parts:
            self.pulled += 1
            yield part


async def employee_count(client: AsyncClient, world: World) -> int:
    return int((await client.get("/employees", headers=world.admin)).json()["total"])


async def test_an_upload_over_the_import_limit_is_a_413_problem_and_imports_nothing(
    client: AsyncClient, world: World, settings: AppraisalSettings
) -> None:
    body = multipart("e.csv", b"x" * settings.max_import_bytes)
    response = await client.post(
        "/imports/employees",
        content=body,
        headers={**world.admin, "content-type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    problem = assert_refused(response, 413)
    assert problem["limit_bytes"] == settings.max_import_bytes
    assert await employee_count(client, world) == 0


async def test_a_chunked_upload_over_the_import_limit_is_refused_before_it_is_read_to_its_end(
    client: AsyncClient, world: World, settings: AppraisalSettings
) -> None:
    body = Chunks(multipart("e.csv", b"x" * (2 * settings.max_import_bytes)))
    response = await client.post(
        "/imports/employees",
        content=body,
        headers={**world.admin, "content-type": f"multipart/form-data; boundary={BOUNDARY}"},
    )
    assert "content-length" not in response.request.headers
    assert_refused(response, 413)
    assert body.pulled < len(body.parts) // 2 + 2


async def test_an_import_may_be_larger_than_the_services_body_limit_up_to_its_own(
    client: AsyncClient, world: World, settings: AppraisalSettings
) -> None:
    assert settings.max_import_bytes > settings.max_body_bytes
    # One field longer than a CSV reader takes: read, then refused for what it holds.
    content = b"nip,name\n1," + b"x" * settings.max_body_bytes + b"\n"
    response = await client.post(
        "/imports/employees", files={"file": ("e.csv", content)}, headers=world.admin
    )
    problem = assert_refused(response, 422)
    assert problem["errors"][0]["field"] == "body.file"
    assert "field" in problem["detail"]


async def test_a_zip_bomb_is_refused_by_the_row_cap_while_its_rows_are_read(
    client: AsyncClient, world: World, settings: AppraisalSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "max_import_rows", 100)
    bomb = repeated_rows(EMPLOYEE_HEADER, ROW, 50_000)
    assert len(bomb) < 100_000
    response = await client.post(
        "/imports/employees", files={"file": ("e.xlsx", bomb)}, headers=world.admin
    )
    problem = assert_refused(response, 422)
    assert problem["detail"] == (
        "at most 100 rows per file (blank rows count too); the file has more"
    )
    assert await employee_count(client, world) == 0


async def test_a_csv_over_the_row_cap_is_refused_while_its_rows_are_read(
    client: AsyncClient, world: World, settings: AppraisalSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "max_import_rows", 100)
    content = (",".join(EMPLOYEE_HEADER) + "\n" + (",".join(ROW) + "\n") * 5_000).encode()
    response = await client.post(
        "/imports/employees", files={"file": ("e.csv", content)}, headers=world.admin
    )
    problem = assert_refused(response, 422)
    assert problem["detail"].endswith("the file has more")


async def test_an_xlsx_that_expands_past_its_limit_is_refused_before_it_is_parsed(
    client: AsyncClient, world: World, settings: AppraisalSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(settings, "max_import_expanded_bytes", 100_000)
    wide = repeated_rows(EMPLOYEE_HEADER, ("1",) * 2_000, 50)
    response = await client.post(
        "/imports/employees", files={"file": ("e.xlsx", wide)}, headers=world.admin
    )
    problem = assert_refused(response, 422)
    assert "expands to" in problem["detail"]
    assert problem["errors"][0]["field"] == "body.file"


async def test_other_requests_are_answered_while_an_import_is_parsed(
    client: AsyncClient, world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    parsing, answered = threading.Event(), threading.Event()
    seen: list[bool] = []
    read_rows = endpoints.read_rows

    def held_until_another_request_is_answered(*args: Any, **kwargs: Any) -> Any:
        parsing.set()
        seen.append(answered.wait(timeout=20))  # blocks the event loop if parsed on it
        return read_rows(*args, **kwargs)

    monkeypatch.setattr(endpoints, "read_rows", held_until_another_request_is_answered)
    content = (",".join(EMPLOYEE_HEADER) + "\n" + ",".join(ROW) + "\n").encode()
    upload = asyncio.create_task(
        client.post("/imports/employees", files={"file": ("e.csv", content)}, headers=world.admin)
    )
    assert await asyncio.to_thread(parsing.wait, 20)
    health = await client.get("http://appraisal/health")
    answered.set()
    await upload
    assert health.status_code == 200
    assert seen == [True]
