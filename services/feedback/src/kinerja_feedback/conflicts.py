"""Conflict of interest: the employee a submission names, and that employee's supervisors up
the line, never handle it, read its contact or moderate it.

The line of supervisors comes from the directory (employee.upserted events of the appraisal
service). A unit head or supervisor whose token names no employee cannot be cleared of a
conflict, so they are refused for submissions that name someone; a BKPSDM admin account
without an employee id is not anyone's supervisor.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from kinerja_feedback.access import is_admin
from kinerja_feedback.models import DirectoryStaff, Feedback
from kinerja_shared.auth import Identity
from kinerja_shared.problems import NotPermitted

#: The longest line of supervisors followed (the directory could hold a cycle by mistake).
MAX_LINE = 32

_STAFF = DirectoryStaff.__table__.c  # type: ignore[attr-defined]


async def supervisors_of(session: AsyncSession, employee_id: str) -> list[str]:
    """The employee's supervisor, theirs, and so on up the line (nearest first)."""
    line: list[str] = []
    current = employee_id
    for _ in range(MAX_LINE):
        supervisor = await session.scalar(
            select(_STAFF.supervisor_id).where(_STAFF.employee_id == current)
        )
        if supervisor is None or supervisor == employee_id or supervisor in line:
            break
        line.append(supervisor)
        current = supervisor
    return line


async def reports_of(session: AsyncSession, employee_id: str) -> set[str]:
    """Everyone whose line of supervisors includes the employee (one query per level)."""
    found: set[str] = set()
    frontier = {employee_id}
    for _ in range(MAX_LINE):
        rows = await session.scalars(
            select(_STAFF.employee_id).where(_STAFF.supervisor_id.in_(sorted(frontier)))
        )
        frontier = set(rows) - found - {employee_id}
        if not frontier:
            break
        found |= frontier
    return found


async def is_conflicted(session: AsyncSession, identity: Identity, named: str | None) -> bool:
    """Whether the caller is the named employee or one of their supervisors (or cannot be
    cleared of it: unit staff whose token names no employee)."""
    if named is None:
        return False
    if identity.employee_id is None:
        return not is_admin(identity)
    if identity.employee_id == named:
        return True
    return identity.employee_id in await supervisors_of(session, named)


async def refuse_if_conflicted(
    session: AsyncSession, identity: Identity, feedback: Feedback
) -> None:
    """403 when the caller may not handle this submission for a conflict of interest."""
    if await is_conflicted(session, identity, feedback.employee_id):
        raise NotPermitted(
            "conflict of interest: the employee this submission names and their supervisors "
            "may not handle it"
            + ("" if identity.employee_id else " (the token names no employee to check)")
        )


async def conflicted_subjects(session: AsyncSession, identity: Identity) -> set[str] | None:
    """The employees whose submissions the caller may not handle: the caller and everyone
    under them. None: every submission that names someone (unit staff without an employee
    id in the token)."""
    if identity.employee_id is None:
        return set() if is_admin(identity) else None
    return {identity.employee_id} | await reports_of(session, identity.employee_id)
