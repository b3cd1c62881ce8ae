"""Who may manage webhooks: every authorisation decision of the service is here.

Subscriptions are managed by OAuth2 clients (role external_system) holding the scope
`webhooks:manage`; each client sees and manages only its own (another's is not found).
"""

from __future__ import annotations

from typing import TypeVar

from kinerja_shared.auth import Identity, Role
from kinerja_shared.problems import NotPermitted, ResourceNotFound

MANAGE_SCOPE = "webhooks:manage"

T = TypeVar("T")


def manager(identity: Identity) -> str:
    """The owner key of a caller allowed to manage webhooks; 403 for anyone else."""
    if not (identity.has_role(Role.EXTERNAL_SYSTEM) and identity.has_scope(MANAGE_SCOPE)):
        raise NotPermitted(
            f"managing webhooks needs an OAuth2 client with the scope {MANAGE_SCOPE}",
            extra={"required_scope": MANAGE_SCOPE},
        )
    return identity.client_id or identity.subject


def own(found: T | None, *, owner: str, owner_of: str | None, what: str = "subscription") -> T:
    """A subscription (or something of it) if the caller owns it; 404 otherwise, so that
    another client's subscriptions cannot even be told apart from none."""
    if found is None or owner_of != owner:
        raise ResourceNotFound(f"no such {what}")
    return found
