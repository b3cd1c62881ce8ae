"""Who may read which report: the rights of each role, checked by every use case."""

from __future__ import annotations

from kinerja_reporting.directory.tree import UnitTree
from kinerja_shared.auth import Identity, Role
from kinerja_shared.problems import NotPermitted

REPORTS_SCOPE = "reports:read"


def reads_everything(identity: Identity) -> bool:
    """Analysts, BKPSDM and external systems granted reports:read see every unit."""
    if identity.has_role(Role.ANALYST, Role.BKPSDM_ADMIN):
        return True
    return identity.has_role(Role.EXTERNAL_SYSTEM) and identity.has_scope(REPORTS_SCOPE)


class PublicReader:
    """The public reading published IKM results, which cover every unit (docs/domain.md,
    "Publication of results and follow-up plans (rencana tindak lanjut)"). Only the
    publication area passes it; a missing identity is never read as the public."""


PUBLIC = PublicReader()

#: Who reads IKM reports: a caller's identity, or the public reading published results.
Reader = Identity | PublicReader


def readable_units(identity: Reader, tree: UnitTree) -> set[str] | None:
    """Units whose reports the caller may read: None means all; a unit head sees a subtree."""
    if isinstance(identity, PublicReader) or reads_everything(identity):
        return None
    if identity.has_role(Role.UNIT_HEAD) and identity.unit_code:
        return tree.subtree(identity.unit_code)
    raise NotPermitted(
        "reports need the role analyst, bkpsdm_admin or unit_head, "
        f"or an external system with the scope {REPORTS_SCOPE}"
    )


def require_unit(identity: Reader, tree: UnitTree, unit_id: str) -> None:
    """Refuse unless the caller may read the reports of this unit."""
    allowed = readable_units(identity, tree)
    if allowed is not None and unit_id not in allowed:
        raise NotPermitted(f"unit {unit_id} is outside the units you may read", field="unit_id")


def require_admin(identity: Identity) -> None:
    """Refuse unless the caller is a BKPSDM administrator."""
    identity.require_role(Role.BKPSDM_ADMIN)


def reads_history_without_unit(identity: Identity, employee_id: str) -> bool:
    """Whether the caller may read an employee's history whatever unit the employee is in:
    it is their own, or they read everything (then the unit need not be looked up)."""
    own = identity.employee_id is not None and identity.employee_id == employee_id
    return own or reads_everything(identity)


def require_employee_history(
    identity: Identity, tree: UnitTree, employee_id: str, unit_id: str | None
) -> None:
    """An employee reads only their own history; readers by their units."""
    if reads_history_without_unit(identity, employee_id):
        return
    head_unit = identity.unit_code if identity.has_role(Role.UNIT_HEAD) else None
    if head_unit and unit_id is not None and tree.within(head_unit, unit_id):
        return
    raise NotPermitted("you may read only your own history", field="employee_id")
