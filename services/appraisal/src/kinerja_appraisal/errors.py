"""The one mapping of the pure domain's rule errors to problem+json responses.

Services let an `AppraisalRuleError` rise; the app's handler (registered through
routes.EXCEPTION_HANDLERS) answers it as the problem below, so no use case translates
rule errors one by one.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import Request
from fastapi.responses import JSONResponse

from kinerja_appraisal.domain import (
    AppraisalRuleError,
    BerAkhlak,
    IllegalTransition,
    IncompletePerilaku,
    InvalidEmployeeNumber,
    MissingPerilakuNotes,
    MissingReturnComments,
)
from kinerja_shared.problems import (
    Conflict,
    DomainError,
    FieldError,
    InvalidInput,
    problem_response,
)


def _value_errors(missing: Sequence[BerAkhlak], what: str) -> list[FieldError]:
    return [
        FieldError(
            field=f"body.perilaku_values.{value.value}" + (".note" if what == "note" else ""),
            detail=f"{value.label}: {what} required",
        )
        for value in missing
    ]


def rule_problem(exc: AppraisalRuleError) -> DomainError:
    """An illegal state change is a 409 Conflict; any other broken rule a 422 naming the
    request field it concerns."""
    if isinstance(exc, IllegalTransition):
        return Conflict(
            str(exc),
            extra={"current_state": str(exc.current), "action": str(exc.action)},
        )
    if isinstance(exc, MissingReturnComments):
        return InvalidInput(str(exc), field="body.comments")
    if isinstance(exc, IncompletePerilaku):
        return InvalidInput(str(exc), errors=_value_errors(exc.missing, "rating"))
    if isinstance(exc, MissingPerilakuNotes):
        return InvalidInput(str(exc), errors=_value_errors(exc.missing, "note"))
    if isinstance(exc, InvalidEmployeeNumber):
        return InvalidInput(f"{exc.reason} ({exc.part})", field="body.nip")
    return InvalidInput(str(exc))


async def rule_error_response(request: Request, exc: Exception) -> JSONResponse:
    """The exception handler of `AppraisalRuleError`: its problem, as every DomainError."""
    assert isinstance(exc, AppraisalRuleError)
    problem = rule_problem(exc)
    return problem_response(
        request,
        status=problem.status,
        title=problem.title,
        detail=problem.detail,
        slug=problem.slug,
        errors=problem.errors,
        extra=problem.extra,
        headers=problem.headers,
    )
