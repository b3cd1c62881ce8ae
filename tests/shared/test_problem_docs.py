"""Every service's OpenAPI document declares the problems its routes answer with, as they are
sent: application/problem+json with the Problem schema (issue 14: Schemathesis found 422s
declared as application/json HTTPValidationError and 400s, 401s and 404s not declared)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from kinerja_appraisal.main import create_app as appraisal_app
from kinerja_feedback.main import create_app as feedback_app
from kinerja_reporting.main import create_app as reporting_app
from kinerja_shared.problems import PROBLEM_JSON

PROBLEM = {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}


def operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        if not path.startswith("/health")
        for method, operation in item.items()
    ]


@pytest.mark.parametrize("factory", [appraisal_app, feedback_app, reporting_app])
def test_every_route_declares_the_problems_of_the_shared_machinery(factory: Any) -> None:
    document = factory().openapi()
    missing = []
    for method, path, operation in operations(document):
        expected = {"401", "422"}
        expected |= {"400"} if "requestBody" in operation else set()
        expected |= {"409"} if method != "get" else set()
        missing += [f"{method} {path} {s}" for s in expected - set(operation["responses"])]
    assert missing == []


@pytest.mark.parametrize("factory", [appraisal_app, feedback_app, reporting_app])
def test_every_problem_is_declared_as_problem_json(factory: Any) -> None:
    document = factory().openapi()
    wrong = [
        f"{method} {path} {status}"
        for method, path, operation in operations(document)
        for status, response in operation["responses"].items()
        if int(status) >= 400 and response["content"] != PROBLEM
    ]
    assert wrong == []
    assert "HTTPValidationError" not in json.dumps(document)
