"""Declaring in an OpenAPI document every problem an operation can answer with.

A route names its own refusals with `problem_responses` (403, 404, 409, ...). What the
shared machinery answers on any route is added here, once for all services: 401 (no gateway
assertion, no valid token), 422 (invalid parameters or body, a NUL in the path or query, a
value the database refuses), 400 (a body that cannot be read as JSON text), 409 (a write
that conflicts with a concurrent one) and 503 (a write the database gave up for a concurrent
one: send it again). Every problem is declared as what is sent —
`application/problem+json` with the `Problem` schema — where FastAPI would list it as
`application/json` and its own 422 as `HTTPValidationError`.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Collection, Iterable
from functools import cache
from http import HTTPStatus
from typing import Any

from fastapi.openapi.utils import get_openapi
from fastapi.routing import APIRoute

from kinerja_shared.problems import PROBLEM_JSON, problem_responses

Document = dict[str, Any]

PROBLEM_REF = "#/components/schemas/Problem"
_FASTAPI_VALIDATION = ("HTTPValidationError", "ValidationError")
_METHODS = ("get", "put", "post", "delete", "patch")

#: What every service route can answer, whatever it does.
SERVICE_PROBLEMS = (401, 422)
#: ... when it reads a body, and when it writes.
BODY_PROBLEMS = (400,)
WRITE_PROBLEMS = (409, 503)


def problem_response(status: int) -> dict[str, Any]:
    """The OpenAPI response of a problem+json answer with this status."""
    return {
        "description": HTTPStatus(status).phrase,
        "content": {PROBLEM_JSON: {"schema": {"$ref": PROBLEM_REF}}},
    }


def _is_problem(response: dict[str, Any]) -> bool:
    content = json.dumps(response.get("content", {}))
    return PROBLEM_JSON in content or any(
        f'"#/components/schemas/{name}"' in content for name in (*_FASTAPI_VALIDATION, "Problem")
    )


def declare_problems(
    document: Document,
    *,
    every: Iterable[int] = (),
    with_body: Iterable[int] = (),
    writes: Iterable[int] = (),
    skip_paths: Collection[str] = (),
) -> Document:
    """Declare the problems of every operation (but those under `skip_paths`): the statuses
    in `every`, those in `with_body` where it takes a body, those in `writes` where its method
    is not GET; and every error response already declared as problem+json. In place; the
    document is returned."""
    always, body, write = set(every), set(with_body), set(writes)
    for path, item in document.get("paths", {}).items():
        if path in skip_paths:
            continue
        for method in _METHODS:
            operation = item.get(method)
            if not isinstance(operation, dict):
                continue
            responses: dict[str, Any] = operation.setdefault("responses", {})
            for key, response in responses.items():
                if key.isdigit() and int(key) >= 400 and _is_problem(response):
                    responses[key] = problem_response(int(key))
            statuses = set(always)
            statuses |= body if "requestBody" in operation else set()
            statuses |= write if method != "get" else set()
            for status in sorted(statuses):
                responses.setdefault(str(status), problem_response(status))
    _define_problem(document)
    return document


@cache
def _problem_schemas() -> dict[str, Any]:
    """Problem and FieldError exactly as FastAPI writes them where a route declares them, so
    that the gateway merges every service's and its own into one `Problem`."""

    async def endpoint() -> None: ...

    route = APIRoute("/", endpoint, responses=problem_responses(400))
    schemas: dict[str, Any] = get_openapi(title="-", version="-", routes=[route])["components"][
        "schemas"
    ]
    return {name: schemas[name] for name in ("Problem", "FieldError")}


def _define_problem(document: Document) -> None:
    schemas: dict[str, Any] = document.setdefault("components", {}).setdefault("schemas", {})
    for name, definition in _problem_schemas().items():
        schemas.setdefault(name, copy.deepcopy(definition))
    # FastAPI's validation schemas, once nothing refers to them any more.
    for name in _FASTAPI_VALIDATION:
        if f'"#/components/schemas/{name}"' not in json.dumps(document):
            schemas.pop(name, None)
