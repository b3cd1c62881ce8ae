"""Who may do what: the authorisation decisions of the appraisal service.

Employees act on their own records; a supervisor acts on direct subordinates only (never
on themselves); the objection reviewer is the supervisor's own supervisor; BKPSDM
administers periods, units and imports. Anything else is a 403 problem.
"""

from __future__ import annotations

from kinerja_appraisal.models import Employee
from kinerja_shared.auth import Identity, Role
from kinerja_shared.problems import NotPermitted

SUPERVISING_ROLES = (Role.SUPERVISOR, Role.UNIT_HEAD)
READ_ALL_ROLES = (Role.BKPSDM_ADMIN, Role.ANALYST)


def is_admin(identity: Identity) -> bool:
    """Whether the caller is BKPSDM staff."""
    return identity.has_role(Role.BKPSDM_ADMIN)


def require_admin(identity: Identity) -> None:
    """Only BKPSDM administers units, employees, periods and imports."""
    if not is_admin(identity):
        raise NotPermitted("only BKPSDM (role bkpsdm_admin) may do this")


def require_staff(identity: Identity) -> None:
    """Organisation data is for government staff and systems, not citizens."""
    if not identity.has_role(
        Role.EMPLOYEE,
        Role.SUPERVISOR,
        Role.UNIT_HEAD,
        Role.BKPSDM_ADMIN,
        Role.ANALYST,
        Role.EXTERNAL_SYSTEM,
    ):
        raise NotPermitted("this needs a staff role")


def is_self(identity: Identity, employee: Employee) -> bool:
    """Whether the caller is this employee."""
    return identity.employee_id is not None and identity.employee_id == employee.id


def is_direct_supervisor(identity: Identity, employee: Employee) -> bool:
    """Whether the caller supervises this employee directly (never themselves)."""
    return (
        identity.employee_id is not None
        and identity.has_role(*SUPERVISING_ROLES)
        and employee.supervisor_id == identity.employee_id
        and employee.id != identity.employee_id
    )


def is_reviewer(identity: Identity, supervisor: Employee | None, employee: Employee) -> bool:
    """Whether the caller is the supervisor's own supervisor of this employee."""
    return (
        supervisor is not None
        and identity.employee_id is not None
        and identity.has_role(*SUPERVISING_ROLES)
        and supervisor.supervisor_id == identity.employee_id
        and employee.id != identity.employee_id
    )


def require_self(identity: Identity, employee: Employee) -> None:
    """Only the employee may do this on their own record."""
    if not (identity.has_role(Role.EMPLOYEE, *SUPERVISING_ROLES) and is_self(identity, employee)):
        raise NotPermitted("only the employee may do this on their own record")


def require_direct_supervisor(identity: Identity, employee: Employee) -> None:
    """Only the direct supervisor may do this (never on themselves)."""
    if not is_direct_supervisor(identity, employee):
        raise NotPermitted(
            "only the employee's direct supervisor may do this, never on their own record"
        )


def require_reader(
    identity: Identity, employee: Employee, supervisor: Employee | None = None
) -> None:
    """Reading an employee's appraisal records: self, supervisor, reviewer, BKPSDM, analysts."""
    if identity.has_role(*READ_ALL_ROLES):
        return
    if is_self(identity, employee) or is_direct_supervisor(identity, employee):
        return
    if is_reviewer(identity, supervisor, employee):
        return
    raise NotPermitted("you may read only your own records or those of staff you supervise")
