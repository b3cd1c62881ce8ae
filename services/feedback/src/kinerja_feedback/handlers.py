"""The one place where event types are mapped to the service's handlers."""

from __future__ import annotations

from kinerja_feedback.directory import consumers as directory
from kinerja_shared.consumer import EventRouter
from kinerja_shared.events.types.appraisal import (
    EmployeeUpserted,
    EmployeeUpsertedV1,
    UnitUpserted,
)


def register_handlers(router: EventRouter) -> EventRouter:
    """Map the appraisal service's directory events (kinerja.appraisal) to their handlers."""
    router.on(UnitUpserted)(directory.on_unit_upserted)
    router.on(EmployeeUpserted, EmployeeUpsertedV1)(directory.on_employee_upserted)
    return router
