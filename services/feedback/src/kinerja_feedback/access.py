"""Who may do what: unit staff act on their own unit, BKPSDM admins on every unit; nobody
handles a submission that names them or someone under them (conflict of interest). Every
403 of the service is decided here."""

from __future__ import annotations

from typing import Protocol

from kinerja_feedback.models import Feedback
from kinerja_shared.auth import Identity, Role
from kinerja_shared.problems import NotPermitted

UNIT_STAFF_ROLES = (Role.UNIT_HEAD, Role.SUPERVISOR)


def is_admin(identity: Identity) -> bool:
    """Whether the caller administers every unit."""
    return identity.has_role(Role.BKPSDM_ADMIN)


def require_admin(identity: Identity) -> None:
    """Raise 403 unless the caller is bkpsdm_admin."""
    identity.require_role(Role.BKPSDM_ADMIN)


def handles_unit(identity: Identity, unit_id: str) -> bool:
    """Whether the caller is an admin, or a unit head or supervisor of this unit."""
    if is_admin(identity):
        return True
    return identity.has_role(*UNIT_STAFF_ROLES) and identity.unit_code == unit_id


def require_plan_reader(identity: Identity, unit_id: str) -> None:
    """Raise 403 unless the caller handles this unit; its own message for a plan read."""
    if not handles_unit(identity, unit_id):
        raise NotPermitted("only staff of the plan's unit or bkpsdm_admin may read it")


def require_unit_staff(identity: Identity, unit_id: str) -> None:
    """Raise 403 unless the caller handles this unit."""
    if not handles_unit(identity, unit_id):
        raise NotPermitted(
            "only staff of this unit (unit_head, supervisor) or bkpsdm_admin may do this"
        )


def require_staff(identity: Identity) -> None:
    """Raise 403 unless the caller is unit staff or an admin (lists filter by unit)."""
    if not (is_admin(identity) or identity.has_role(*UNIT_STAFF_ROLES)):
        raise NotPermitted("this needs the role unit_head, supervisor or bkpsdm_admin")


def visible_unit(identity: Identity, unit_id: str | None) -> str | None:
    """The unit a staff list is limited to: an admin may pick any (or all), others their own."""
    if is_admin(identity):
        return unit_id
    if unit_id is not None and unit_id != identity.unit_code:
        raise NotPermitted("staff may only list their own unit", field="query.unit_id")
    if identity.unit_code is None:
        raise NotPermitted("the token names no unit")
    return identity.unit_code


def heads_unit(identity: Identity, unit_id: str) -> bool:
    """Whether the caller is an admin, or the head of this unit (role unit_head, token naming
    the unit)."""
    if is_admin(identity):
        return True
    return identity.has_role(Role.UNIT_HEAD) and identity.unit_code == unit_id


def require_unit_head(identity: Identity, unit_id: str) -> None:
    """Raise 403 unless the caller heads this unit (or is bkpsdm_admin)."""
    if not heads_unit(identity, unit_id):
        raise NotPermitted("only the head of this unit (unit_head) or bkpsdm_admin may do this")


def require_point_manager(identity: Identity, unit_id: str) -> None:
    """Raise 403 unless the caller manages this unit's service points (bkpsdm_admin, or the
    unit head of this unit)."""
    if not identity.has_role(Role.BKPSDM_ADMIN, Role.UNIT_HEAD):
        raise NotPermitted("service points are managed by bkpsdm_admin or the unit head")
    require_unit_staff(identity, unit_id)


# Complaints: who handles one, who may hand it to someone, who reads the citizen's contact.


def is_handler(identity: Identity, feedback: Feedback) -> bool:
    """Whether the caller is the complaint's assigned handler."""
    if feedback.handler_employee_id is not None:
        return identity.employee_id == feedback.handler_employee_id
    return feedback.handler_subject is not None and identity.subject == feedback.handler_subject


def require_handler_or_admin(identity: Identity, feedback: Feedback) -> None:
    """Raise 403 unless the caller handles this (assigned) complaint or is an admin."""
    if not (is_handler(identity, feedback) or is_admin(identity)):
        raise NotPermitted(
            "this complaint is handled by someone else; the unit head may reassign it"
        )


def require_assigner(identity: Identity, *, to_self: bool, unassigned: bool) -> None:
    """Raise 403 unless the caller may make this assignment: anyone of the unit's staff may
    take up a complaint nobody handles; only the unit head or an admin may hand it to someone
    else or take it over."""
    if not (is_admin(identity) or identity.has_role(Role.UNIT_HEAD)) and not (
        to_self and unassigned
    ):
        raise NotPermitted("only the unit head or an admin may hand a complaint to someone")


def require_contact_reader(identity: Identity, feedback: Feedback) -> None:
    """Raise 403 unless the caller is the complaint's assigned handler."""
    if not is_handler(identity, feedback):
        raise NotPermitted("only the complaint's assigned handler may read the citizen's contact")


# Conflict of interest: the employee a submission names, and that employee's supervisors up
# the line, never handle it, read its contact or moderate it. The line comes from the
# directory (employee.upserted events of the appraisal service). A unit head or supervisor
# whose token names no employee cannot be cleared of a conflict, so they are refused for
# submissions that name someone; a BKPSDM admin account without an employee id is not
# anyone's supervisor.

CONFLICT = (
    "conflict of interest: the employee this submission names and their supervisors "
    "may not handle it"
)


class Hierarchy(Protocol):
    """The lines of supervisors, as the directory knows them (directory.service.Hierarchy)."""

    async def supervisors_of(self, employee_id: str) -> list[str]:
        """The employee's supervisor, theirs, and so on up the line (nearest first)."""
        ...

    async def reports_of(self, employee_id: str) -> set[str]:
        """Everyone whose line of supervisors includes the employee."""
        ...


async def is_conflicted(hierarchy: Hierarchy, identity: Identity, named: str | None) -> bool:
    """Whether the caller is the named employee or one of their supervisors (or cannot be
    cleared of it: unit staff whose token names no employee)."""
    if named is None:
        return False
    if identity.employee_id is None:
        return not is_admin(identity)
    if identity.employee_id == named:
        return True
    return identity.employee_id in await hierarchy.supervisors_of(named)


async def refuse_if_conflicted(
    hierarchy: Hierarchy, identity: Identity, feedback: Feedback
) -> None:
    """403 when the caller may not handle this submission for a conflict of interest."""
    if await is_conflicted(hierarchy, identity, feedback.employee_id):
        raise NotPermitted(
            CONFLICT + ("" if identity.employee_id else " (the token names no employee to check)")
        )


async def refuse_conflicted_assignee(
    hierarchy: Hierarchy, employee_id: str, feedback: Feedback
) -> None:
    """403 (naming body.employee_id) when the employee to be assigned a complaint is the one
    it names or one of their supervisors."""
    named = feedback.employee_id
    if named is not None and await is_conflicted(
        hierarchy, Identity(subject=employee_id, employee_id=employee_id), named
    ):
        raise NotPermitted(
            "conflict of interest: the employee the complaint names and their supervisors "
            "may not handle it",
            field="body.employee_id",
        )


async def conflicted_subjects(hierarchy: Hierarchy, identity: Identity) -> set[str] | None:
    """The employees whose submissions the caller may not handle: the caller and everyone
    under them. None: every submission that names someone (unit staff without an employee
    id in the token)."""
    if identity.employee_id is None:
        return set() if is_admin(identity) else None
    return {identity.employee_id} | await hierarchy.reports_of(identity.employee_id)
