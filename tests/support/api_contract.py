"""Schemathesis over a running system's merged OpenAPI: every operation is called with
generated requests (valid and invalid ones) and each response is checked against the
document — no server error, a documented status code and content type, a body matching its
schema. Failures are collected, not raised, so that one run lists them all.

The run is blocking (schemathesis sends with `requests`): call `check_contract` in a worker
thread while the system serves on the test's event loop.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import hypothesis
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, Verbosity
from hypothesis.errors import HypothesisException
from schemathesis import GenerationMode
from schemathesis.core.failures import Failure, FailureGroup

#: What the run checks; schemathesis's other checks (e.g. that every invalid request is
#: refused) are not part of this contract.
CHECKS = (
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_schema_conformance",
)


@dataclass
class ContractReport:
    """What one run saw."""

    operations: list[str] = field(default_factory=list)
    examples: int = 0
    statuses: Counter[int] = field(default_factory=Counter)
    #: Operation label -> distinct failures of each kind
    server_errors: dict[str, dict[str, str]] = field(default_factory=dict)
    violations: dict[str, dict[str, str]] = field(default_factory=dict)
    answered: set[str] = field(default_factory=set)  # operations that gave a 2xx at least once
    not_generated: list[str] = field(default_factory=list)

    def record(self, label: str, failure: Failure, response: Any) -> None:
        """Keep one failure per operation and kind, with the request that showed it."""
        kind = self.server_errors if "not_a_server_error" in failure.checks else self.violations
        found = kind.setdefault(label, {})
        if failure.title in found:
            return
        first_line = next(iter(failure.message.strip().splitlines()), "")
        request = response.request
        body = (
            request.body
            if isinstance(request.body, str)
            else (request.body or b"").decode("utf-8", "replace")
        )
        sent = f"{request.method} {request.path_url} {body[:160]}".strip()
        found[failure.title] = f"{response.status_code} {first_line[:200]!r} for: {sent}"

    def summary(self) -> str:
        """Counts, then every failure, one line each."""
        lines = [
            f"{len(self.operations)} operations, {self.examples} examples, "
            f"{sum(map(len, self.server_errors.values()))} server errors on "
            f"{len(self.server_errors)} operations, "
            f"{sum(map(len, self.violations.values()))} schema violations on "
            f"{len(self.violations)} operations; statuses {dict(sorted(self.statuses.items()))}",
            f"  {len(self.answered)} operations answered 2xx; no requests generated for: "
            f"{', '.join(self.not_generated) or 'none'}",
        ]
        for title, found in (("server error", self.server_errors), ("violation", self.violations)):
            for label in sorted(found):
                lines += [
                    f"  {title} {label}: {kind}: {seen}" for kind, seen in found[label].items()
                ]
        return "\n".join(lines)


def _config(
    base_url: str,
    *,
    headers: dict[str, str],
    known: dict[str, list[str]],
    max_examples: int,
    seed: int,
) -> Any:
    """The run's settings, as a schemathesis.toml would give them.

    `known` names values that exist in the system (e.g. a unit's id under `unit_id`); a
    parameter of that name takes one of them most of the time, so that requests reach real
    resources and not only 404s."""
    return schemathesis.Config.from_dict(
        {
            "base-url": base_url,
            "headers": headers,
            "seed": seed,
            "generation": {
                "mode": "all",
                "max-examples": max_examples,
                "deterministic": True,
                "with-security-parameters": False,
            },
            "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
            "dictionaries": {name: {"values": values} for name, values in known.items()},
            "parameters": {
                f"{location}.{name}": {"dictionary": name, "probability": 0.85}
                for name in known
                for location in ("path", "query")
            },
        }
    )


def check_contract(
    openapi_url: str,
    *,
    headers: dict[str, str],
    known: dict[str, list[str]],
    excluded: dict[str, str],
    max_examples: int,
    seed: int = 14,
) -> ContractReport:
    """Call every operation of the document at `openapi_url` (but the `excluded` ones,
    label -> why) with `max_examples` generated requests per generation mode."""
    base_url = openapi_url.split("/api/", 1)[0]
    config = _config(base_url, headers=headers, known=known, max_examples=max_examples, seed=seed)
    schema = schemathesis.openapi.from_url(openapi_url, config=config)
    report = ContractReport()
    settings = hypothesis.settings(
        max_examples=max_examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
        verbosity=Verbosity.quiet,
    )
    with requests.Session() as session:
        for result in schema.get_all_operations():
            operation = result.ok()
            if operation.label in excluded:
                continue
            report.operations.append(operation.label)
            for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
                _explore(operation, mode, settings, session, report)
    return report


def _explore(
    operation: Any,
    mode: GenerationMode,
    settings: hypothesis.settings,
    session: requests.Session,
    report: ContractReport,
) -> None:
    @settings
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def call(case: Any) -> None:
        response = case.call(session=session, timeout=30)
        report.examples += 1
        report.statuses[response.status_code] += 1
        if 200 <= response.status_code < 300:
            report.answered.add(operation.label)
        try:
            case.validate_response(response)
        except FailureGroup as group:
            for failure in group.exceptions:
                report.record(operation.label, failure, response)
        except Failure as failure:
            report.record(operation.label, failure, response)

    try:
        call()
    except HypothesisException as exc:  # e.g. nothing to negate in an operation without input
        report.not_generated.append(f"{operation.label} ({mode.value}): {type(exc).__name__}")
