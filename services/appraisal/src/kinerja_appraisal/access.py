"""Who may do what: the authorisation decisions of the appraisal service.

Employees act on their own records; a supervisor acts on direct subordinates only (never
on themselves); the objection reviewer is the supervisor's own supervisor; BKPSDM
administers periods, units and imports. Anything else is a 403 problem.
"""

from __future__ import annotations

from kinerja_appraisal.models import Employee, Objection, Skp, Unit
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


def listable_subordinates_of(identity: Identity, supervisor_id: str | None) -> str | None:
    """Whose subordinates the caller may list: anyone's (BKPSDM, analysts: the filter asked),
    else a supervisor's own direct subordinates only."""
    if identity.has_role(*READ_ALL_ROLES):
        return supervisor_id
    if not (identity.has_role(*SUPERVISING_ROLES) and identity.employee_id):
        require_admin(identity)
    return identity.employee_id


def require_placement_reader(identity: Identity, employee: Employee) -> None:
    """An employee's placement history: BKPSDM, analysts and the employee themselves."""
    if not (identity.has_role(*READ_ALL_ROLES) or is_self(identity, employee)):
        require_admin(identity)


def require_employee_token(identity: Identity, refusal: str) -> str:
    """The caller's employee id; a token without one is refused with `refusal`."""
    if identity.employee_id is None:
        raise NotPermitted(refusal)
    return identity.employee_id


def require_known_employee(employee: Employee | None) -> Employee:
    """The employee the token names must exist."""
    if employee is None:
        raise NotPermitted("the token's employee_id is not a known employee")
    return employee


def require_own_skp(employee: Employee, skp: Skp, doing: str) -> None:
    """Only the employee edits, submits or revises their own SKP (`doing`: the verb)."""
    if skp.employee_id != employee.id:
        raise NotPermitted(f"only the employee may {doing} their own SKP")


def require_own_skp_for_realisation(employee: Employee, skp: Skp) -> None:
    """Realisations are recorded by the employee, against their own SKP."""
    if skp.employee_id != employee.id:
        raise NotPermitted("realisations are recorded by the employee, on their own SKP only")


def require_finaliser(identity: Identity, unit: Unit) -> None:
    """BKPSDM or the head of the unit finalise its period."""
    if is_admin(identity):
        return
    if (
        identity.has_role(Role.UNIT_HEAD)
        and identity.employee_id is not None
        and identity.employee_id == unit.head_employee_id
    ):
        return
    raise NotPermitted("only BKPSDM or the head of the unit may finalise its period")


def require_curve_overrider(identity: Identity) -> None:
    """Only BKPSDM overrides the kurva."""
    if not is_admin(identity):
        raise NotPermitted(
            "only BKPSDM (role bkpsdm_admin) may override the kurva",
            field="body.curve_override_reason",
        )


def require_distribution_reader(identity: Identity, unit: Unit) -> None:
    """A unit's distribution: BKPSDM, analysts and the unit head."""
    if not identity.has_role(*READ_ALL_ROLES) and not (
        identity.employee_id is not None and identity.employee_id == unit.head_employee_id
    ):
        raise NotPermitted("only BKPSDM, analysts and the unit head may read its distribution")


def require_award_reader(identity: Identity) -> None:
    """Award candidates: BKPSDM and analysts."""
    if not identity.has_role(*READ_ALL_ROLES):
        require_admin(identity)


def is_appraiser(identity: Identity, appraiser_id: str) -> bool:
    """Whether the caller gave this assessment (the appraiser reads it too)."""
    return identity.employee_id is not None and identity.employee_id == appraiser_id


def require_appraiser(identity: Identity, appraiser_id: str) -> None:
    """Only the appraiser gives their statement on an objection."""
    if not (
        identity.has_role(*SUPERVISING_ROLES)
        and identity.employee_id is not None
        and identity.employee_id == appraiser_id
    ):
        raise NotPermitted("only the appraiser gives a statement on this objection")


def require_objection_reviewer(identity: Identity, objection: Objection) -> None:
    """Only the appraiser's own supervisor decides an objection (never their own)."""
    if not (
        identity.has_role(*SUPERVISING_ROLES)
        and identity.employee_id is not None
        and identity.employee_id == objection.reviewer_id
        and identity.employee_id != objection.employee_id
    ):
        raise NotPermitted("only the appraiser's own supervisor decides this objection")


def require_objection_reader(identity: Identity, objection: Objection) -> None:
    """The employee, the reviewer, BKPSDM and analysts may read an objection."""
    if identity.has_role(*READ_ALL_ROLES):
        return
    if identity.employee_id in (objection.employee_id, objection.reviewer_id):
        return
    raise NotPermitted("only the employee and the reviewer may read this objection")


def objections_visible_to(identity: Identity) -> str | None:
    """Whose objections the caller lists: everyone's (None: BKPSDM, analysts), else those the
    caller filed or reviews (their employee id)."""
    if identity.has_role(*READ_ALL_ROLES):
        return None
    return require_employee_token(identity, "this listing needs an employee token or a BKPSDM role")


READ_SCOPE = "appraisal:read"


def require_result_reader(identity: Identity) -> None:
    """The pull API of final results: BKPSDM, analysts, or a system with `appraisal:read`."""
    allowed = identity.has_role(Role.BKPSDM_ADMIN, Role.ANALYST) or (
        identity.has_role(Role.EXTERNAL_SYSTEM) and identity.has_scope(READ_SCOPE)
    )
    if not allowed:
        raise NotPermitted(f"needs BKPSDM, analyst, or an external system with {READ_SCOPE}")
