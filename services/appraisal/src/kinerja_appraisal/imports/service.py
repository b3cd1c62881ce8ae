"""Validating and applying imports: every row checked, all-or-nothing unless asked."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_appraisal.audit.service import record_change
from kinerja_appraisal.audit.state import as_dict
from kinerja_appraisal.domain import EmployeeKind, InvalidEmployeeNumber, validate_employee_number
from kinerja_appraisal.imports.reading import Row
from kinerja_appraisal.imports.schemas import ImportReport, RowError
from kinerja_appraisal.models import Employee, EmployeePlacement, Unit
from kinerja_appraisal.organisation import repository as organisation
from kinerja_appraisal.organisation.events import employee_upserted, unit_upserted
from kinerja_appraisal.organisation.service import STAFF_CODE_ALPHABET, STAFF_CODE_PREFIX
from kinerja_shared.auth import Identity
from kinerja_shared.events.catalogue import EventPayload
from kinerja_shared.outbox import Outbox

UNIT_KINDS = {"dinas", "badan", "kecamatan", "kelurahan", "school", "other"}
UNIT_COLUMNS = ("code", "name", "kind")
EMPLOYEE_COLUMNS = ("nip", "name", "kind", "position", "unit_code")
CODE = re.compile(r"^[A-Za-z0-9._-]{1,40}$")
YES = {"1", "ya", "y", "yes", "true", "x"}

Progress = Callable[[int], None]


@dataclass
class _Checked:
    rows: list[Row]
    errors: list[RowError] = field(default_factory=list)

    def fail(self, row: Row, column: str, reason: str) -> None:
        row.problems.append((column, reason))

    def collect(self) -> list[Row]:
        """The rows without problems; the others' problems become errors."""
        valid = []
        for row in self.rows:
            if row.problems:
                self.errors.extend(
                    RowError(line=row.line, field=c, reason=r) for c, r in row.problems
                )
            else:
                valid.append(row)
        return valid


def _missing_columns(rows: list[Row], required: tuple[str, ...]) -> list[RowError]:
    if not rows:
        return [RowError(line=1, field="file", reason="the file has no data rows")]
    present = set(rows[0].values)
    return [
        RowError(line=1, field=column, reason="the header lacks this column")
        for column in required
        if column not in present
    ]


def _drop_dangling(rows: list[Row], key: str, ref: str, known: set[str]) -> None:
    """Mark rows whose reference is neither in the database nor a valid row (to a fixpoint)."""
    while True:
        valid_keys = {r.get(key) for r in rows if not r.problems}
        changed = False
        for row in rows:
            target = row.get(ref)
            if row.problems or not target:
                continue
            if target not in known and target not in valid_keys:
                row.problems.append((ref, f"{target!r} is neither known nor a valid row"))
                changed = True
        if not changed:
            return


def _mark_cycles(rows: list[Row], key: str, ref: str, known: dict[str, str | None]) -> None:
    """Mark rows whose chain of references (file rows over stored data) loops back."""
    links = dict(known)
    links.update({r.get(key): r.get(ref) or None for r in rows if not r.problems})
    for row in rows:
        if row.problems:
            continue
        start, current, steps = row.get(key), row.get(ref) or None, 0
        while current is not None and steps <= len(links):
            if current == start:
                row.problems.append((ref, "the references form a cycle"))
                break
            current, steps = links.get(current), steps + 1


async def import_units(
    session: AsyncSession,
    *,
    outbox: Outbox,
    actor: Identity | str,
    rows: list[Row],
    import_valid: bool,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every unit row (code, name, kind, parent_code), then upsert by code."""
    missing = _missing_columns(rows, UNIT_COLUMNS)
    if missing:
        return ImportReport(
            kind="units",
            rows=len(rows),
            valid_rows=0,
            created=0,
            updated=0,
            imported=False,
            errors=missing,
        )
    existing = {u.code: u for u in await organisation.all_units(session)}
    checked = _Checked(rows)
    seen: dict[str, int] = {}
    for row in rows:
        code, name, kind, parent = (
            row.get("code"),
            row.get("name"),
            row.get("kind"),
            row.get("parent_code"),
        )
        if not CODE.match(code):
            checked.fail(row, "code", "1-40 letters, digits, '.', '_' or '-'")
        elif code in seen:
            checked.fail(row, "code", f"repeats the code of line {seen[code]}")
        else:
            seen[code] = row.line
        if not name or len(name) > 200:
            checked.fail(row, "name", "required, at most 200 characters")
        if kind.lower() not in UNIT_KINDS:
            checked.fail(row, "kind", f"one of {', '.join(sorted(UNIT_KINDS))}")
        if parent and parent == code:
            checked.fail(row, "parent_code", "a unit cannot be its own parent")
    _drop_dangling(rows, "code", "parent_code", set(existing))
    by_id = {u.id: u.code for u in existing.values()}
    _mark_cycles(
        rows,
        "code",
        "parent_code",
        {c: by_id.get(u.parent_id or "") for c, u in existing.items()},
    )
    valid = checked.collect()
    report = ImportReport(
        kind="units",
        rows=len(rows),
        valid_rows=len(valid),
        created=0,
        updated=0,
        imported=False,
        errors=checked.errors,
    )
    if checked.errors and not import_valid:
        return report
    events: list[EventPayload] = []
    touched: list[tuple[Unit, dict[str, Any] | None]] = []
    for row in valid:
        unit = existing.get(row.get("code"))
        before = as_dict(unit)
        if unit is None:
            unit = Unit(code=row.get("code"), name=row.get("name"), kind=row.get("kind").lower())
            session.add(unit)
            existing[unit.code] = unit
            report.created += 1
        else:
            unit.name, unit.kind, unit.updated_at = (
                row.get("name"),
                row.get("kind").lower(),
                now,
            )
            report.updated += 1
        touched.append((unit, before))
    await session.flush()
    for index, (row, (unit, before)) in enumerate(zip(valid, touched, strict=True), start=1):
        parent = row.get("parent_code")
        unit.parent_id = existing[parent].id if parent else None
        await record_change(
            session,
            actor=actor,
            action="unit.imported",
            entity_type="unit",
            entity_id=unit.id,
            before=before,
            after=as_dict(unit),
        )
        events.append(unit_upserted(unit))
        if progress:
            progress(index)
    await outbox.add_many(session, events)
    report.imported = True
    return report


def _new_code(taken: set[str]) -> str:
    while True:
        code = STAFF_CODE_PREFIX + "".join(secrets.choice(STAFF_CODE_ALPHABET) for _ in range(6))
        if code not in taken:
            taken.add(code)
            return code


async def import_employees(
    session: AsyncSession,
    *,
    outbox: Outbox,
    actor: Identity | str,
    rows: list[Row],
    import_valid: bool,
    now: datetime,
    progress: Progress | None = None,
) -> ImportReport:
    """Check every employee row, then upsert by NIP (moves keep their history).

    Columns: nip, name, kind (pns/pppk), position, unit_code, supervisor_nip (optional),
    is_head (optional: ya/yes/1 makes the employee the unit's head).
    """
    missing = _missing_columns(rows, EMPLOYEE_COLUMNS)
    if missing:
        return ImportReport(
            kind="employees",
            rows=len(rows),
            valid_rows=0,
            created=0,
            updated=0,
            imported=False,
            errors=missing,
        )
    units = {u.code: u for u in await organisation.all_units(session)}
    existing = {e.nip: e for e in await organisation.all_employees(session)}
    staff_codes = {e.staff_code for e in existing.values()}
    checked = _Checked(rows)
    seen: dict[str, int] = {}
    for row in rows:
        nip, kind = row.get("nip"), row.get("kind").lower()
        if kind not in ("pns", "pppk"):
            checked.fail(row, "kind", "pns or pppk")
        else:
            try:
                validate_employee_number(nip, EmployeeKind(kind))
            except InvalidEmployeeNumber as exc:
                checked.fail(row, "nip", f"{exc.reason} ({exc.part})")
        if nip in seen:
            checked.fail(row, "nip", f"repeats the NIP of line {seen[nip]}")
        seen.setdefault(nip, row.line)
        for column, limit in (("name", 200), ("position", 200)):
            if not row.get(column) or len(row.get(column)) > limit:
                checked.fail(row, column, f"required, at most {limit} characters")
        if row.get("unit_code") not in units:
            checked.fail(row, "unit_code", f"no unit has the code {row.get('unit_code')!r}")
        if row.get("supervisor_nip") and row.get("supervisor_nip") == nip:
            checked.fail(row, "supervisor_nip", "an employee cannot supervise themselves")
    _drop_dangling(rows, "nip", "supervisor_nip", set(existing))
    nip_of = {e.id: e.nip for e in existing.values()}
    _mark_cycles(
        rows,
        "nip",
        "supervisor_nip",
        {n: nip_of.get(e.supervisor_id or "") for n, e in existing.items()},
    )
    valid = checked.collect()
    report = ImportReport(
        kind="employees",
        rows=len(rows),
        valid_rows=len(valid),
        created=0,
        updated=0,
        imported=False,
        errors=checked.errors,
    )
    if checked.errors and not import_valid:
        return report
    touched: list[tuple[Employee, dict[str, Any] | None, bool]] = []
    for row in valid:
        employee = existing.get(row.get("nip"))
        before = as_dict(employee)
        unit = units[row.get("unit_code")]
        if employee is None:
            employee = Employee(
                nip=row.get("nip"),
                staff_code=_new_code(staff_codes),
                name=row.get("name"),
                kind=row.get("kind").lower(),
                position=row.get("position"),
                unit_id=unit.id,
            )
            session.add(employee)
            existing[employee.nip] = employee
            report.created += 1
            touched.append((employee, None, True))
        else:
            moved = (employee.unit_id, employee.position) != (unit.id, row.get("position"))
            employee.name, employee.kind = row.get("name"), row.get("kind").lower()
            employee.position, employee.unit_id, employee.updated_at = (
                row.get("position"),
                unit.id,
                now,
            )
            report.updated += 1
            touched.append((employee, before, moved))
    await session.flush()
    events: list[EventPayload] = []
    for index, (row, (employee, before, placed)) in enumerate(
        zip(valid, touched, strict=True), start=1
    ):
        boss = row.get("supervisor_nip")
        supervisor_id = existing[boss].id if boss else None
        placed = placed or supervisor_id != employee.supervisor_id
        employee.supervisor_id = supervisor_id
        if placed:
            if before is not None:
                for old in await organisation.open_placements(session, employee_id=employee.id):
                    old.ended_at = now
            session.add(
                EmployeePlacement(
                    employee_id=employee.id,
                    unit_id=employee.unit_id,
                    position=employee.position,
                    supervisor_id=supervisor_id,
                    started_at=now,
                )
            )
        if row.get("is_head").lower() in YES:
            head_unit = units[row.get("unit_code")]
            head_unit.head_employee_id, head_unit.updated_at = employee.id, now
            events.append(unit_upserted(head_unit))
        await record_change(
            session,
            actor=actor,
            action="employee.imported",
            entity_type="employee",
            entity_id=employee.id,
            before=before,
            after=as_dict(employee),
        )
        events.append(employee_upserted(employee))
        if progress:
            progress(index)
    await outbox.add_many(session, events)
    report.imported = True
    return report
