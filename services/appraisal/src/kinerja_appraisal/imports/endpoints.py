"""HTTP routes of bulk imports (BKPSDM)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, UploadFile
from starlette.concurrency import run_in_threadpool

from kinerja_appraisal import access
from kinerja_appraisal.dependencies import Now, SettingsDep
from kinerja_appraisal.imports.reading import Bounds, Row, UnreadableFile, read_rows
from kinerja_appraisal.imports.schemas import ImportReport
from kinerja_appraisal.imports.service import import_employees, import_units
from kinerja_shared.app import Runtime, SessionDep
from kinerja_shared.auth import CurrentIdentity
from kinerja_shared.problems import FieldError, InvalidInput, problem_responses

router = APIRouter(tags=["imports"], responses=problem_responses(401, 403, 413, 422))

ImportValid = Annotated[
    bool, Query(description="Import the valid rows even when some rows are bad")
]


async def _rows(file: UploadFile, settings: SettingsDep) -> list[Row]:
    """The file's rows, read from the spooled upload in a worker thread (parsing is CPU-bound
    and would stall every other request on the event loop) and bounded while read. The
    upload's size is bounded before it is read (`max_import_bytes`, see main.py)."""
    bounds = Bounds(
        max_rows=settings.max_import_rows, max_expanded_bytes=settings.max_import_expanded_bytes
    )
    try:
        return await run_in_threadpool(read_rows, file.filename or "", file.file, bounds)
    except UnreadableFile as exc:
        raise InvalidInput(str(exc), field="body.file") from exc


def _refuse(report: ImportReport) -> InvalidInput:
    return InvalidInput(
        f"{len(report.errors)} problem(s) in {report.rows - report.valid_rows} row(s) of"
        f" {report.rows}; nothing was imported (send import_valid=true to import the"
        f" {report.valid_rows} valid row(s))",
        errors=[
            FieldError(field=f"line {e.line}: {e.field}", detail=e.reason) for e in report.errors
        ],
        extra={"report": report.model_dump()},
    )


@router.post("/imports/units", response_model=ImportReport)
async def import_unit_file(
    file: UploadFile,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
    settings: SettingsDep,
    now: Now,
    import_valid: ImportValid = False,
) -> ImportReport:
    """Import units from CSV or XLSX: code, name, kind, parent_code (BKPSDM)."""
    access.require_admin(identity)  # before the upload is read: a refusal reads nothing
    report = await import_units(
        session,
        outbox=runtime.outbox,
        actor=identity,
        rows=await _rows(file, settings),
        import_valid=import_valid,
        now=now,
    )
    if not report.imported:
        raise _refuse(report)
    return report


@router.post("/imports/employees", response_model=ImportReport)
async def import_employee_file(
    file: UploadFile,
    session: SessionDep,
    runtime: Runtime,
    identity: CurrentIdentity,
    settings: SettingsDep,
    now: Now,
    import_valid: ImportValid = False,
) -> ImportReport:
    """Import employees from CSV or XLSX (BKPSDM).

    Columns: nip, name, kind, position, unit_code, supervisor_nip, is_head.
    """
    access.require_admin(identity)  # before the upload is read: a refusal reads nothing
    report = await import_employees(
        session,
        outbox=runtime.outbox,
        actor=identity,
        rows=await _rows(file, settings),
        import_valid=import_valid,
        now=now,
    )
    if not report.imported:
        raise _refuse(report)
    return report
