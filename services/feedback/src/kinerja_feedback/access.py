"""Who may do what: unit staff act on their own unit, BKPSDM admins on every unit."""

from __future__ import annotations

from kinerja_shared.auth import Identity, Role
from kinerja_shared.problems import NotPermitted

UNIT_STAFF_ROLES = (Role.UNIT_HEAD, Role.SUPERVISOR)


def is_admin(identity: Identity) -> bool:
    """Whether the caller administers every unit."""
    return identity.has_role(Role.BKPSDM_ADMIN)


def handles_unit(identity: Identity, unit_id: str) -> bool:
    """Whether the caller is an admin, or a unit head or supervisor of this unit."""
    if is_admin(identity):
        return True
    return identity.has_role(*UNIT_STAFF_ROLES) and identity.unit_code == unit_id


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
