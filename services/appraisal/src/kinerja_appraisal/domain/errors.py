"""Base of the appraisal domain's exception tree, so one handler can map all of them.

This is deliberately not `kinerja_shared.problems.DomainError`: that one belongs to the
HTTP layer (it imports FastAPI), and these rules stay free of HTTP. The service's error
handler maps each subclass to a problem type (e.g. IllegalTransition to 409 Conflict).
"""

from __future__ import annotations


class AppraisalRuleError(Exception):
    """A rule of the appraisal domain was broken; the message says which and why."""
