"""Mapping the pure domain's rule errors to problem+json exceptions."""

from __future__ import annotations

from kinerja_appraisal.domain import AppraisalRuleError, IllegalTransition
from kinerja_shared.problems import Conflict, DomainError, InvalidInput


def rule_problem(exc: AppraisalRuleError, *, field: str | None = None) -> DomainError:
    """An illegal state change is a 409 Conflict; any other broken rule a 422."""
    if isinstance(exc, IllegalTransition):
        return Conflict(
            str(exc),
            extra={"current_state": str(exc.current), "action": str(exc.action)},
        )
    return InvalidInput(str(exc), field=field)
