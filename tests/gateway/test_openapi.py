"""The merged OpenAPI document and the interactive docs."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
from fastapi import FastAPI
from pydantic import BaseModel

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def resolve(document: dict[str, Any], ref: str) -> Any:
    assert ref.startswith("#/"), ref
    node: Any = document
    for part in ref[2:].split("/"):
        assert isinstance(node, dict), f"unresolved $ref {ref}"
        assert part in node, f"unresolved $ref {ref}"
        node = node[part]
    return node


def refs_in(node: Any) -> list[str]:
    if isinstance(node, dict):
        found = [node["$ref"]] if isinstance(node.get("$ref"), str) else []
        return found + [r for v in node.values() for r in refs_in(v)]
    if isinstance(node, list):
        return [r for v in node for r in refs_in(v)]
    return []


def check_structure(document: dict[str, Any]) -> list[dict[str, Any]]:
    """Every $ref resolves, operationIds are unique, security names exist; the operations."""
    assert document["openapi"].startswith("3.")
    assert document["info"]["title"]
    for ref in refs_in(document):
        resolve(document, ref)
    operations = [op for item in document["paths"].values() for m in METHODS if (op := item.get(m))]
    ids = [op["operationId"] for op in operations if "operationId" in op]
    assert len(ids) == len(set(ids)), "duplicate operationIds"
    schemes = document["components"]["securitySchemes"]
    for op in operations:
        for requirement in op.get("security", []):
            assert set(requirement) <= set(schemes), requirement
        for tag in op.get("tags", []):
            assert tag in {t["name"] for t in document["tags"]}
    return operations


async def test_the_merged_document_holds_every_service_and_is_consistent(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    check_structure(document)
    paths = document["paths"]
    for path in (
        "/api/v1/appraisal/items/{item_id}",
        "/api/v1/feedback/items/{item_id}",
        "/api/v1/reporting/items/{item_id}",
        "/api/v1/token",
        "/api/v1/dashboard/employee/{employee_id}",
        "/health/ready",
    ):
        assert path in paths, path
    assert "x-kinerja-unavailable" not in document
    # Each service has its own `Item`: renamed apart, each service's refs rewritten.
    schemas = document["components"]["schemas"]
    assert "Item" not in schemas
    assert {"AppraisalItem", "FeedbackItem", "ReportingItem"} <= set(schemas)
    assert "appraisal" in schemas["AppraisalItem"]["properties"]
    ok = paths["/api/v1/feedback/items/{item_id}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"]["$ref"].endswith("/FeedbackItem")
    # Identical schemas are shared, not duplicated: every problem is the one Problem.
    assert "Problem" in schemas
    assert not any(name.endswith("Problem") and name != "Problem" for name in schemas)
    assert "HTTPValidationError" not in schemas
    # The same operationId in three services is made unique.
    ids = {
        paths[f"/api/v1/{s}/items/{{item_id}}"]["get"]["operationId"]
        for s in ("appraisal", "feedback", "reporting")
    }
    assert len(ids) == 3
    tags = {t["name"] for t in document["tags"]}
    assert {"appraisal", "feedback", "reporting", "auth", "health"} <= tags


async def test_the_document_declares_how_to_authenticate_each_route(
    gateway: httpx.AsyncClient,
) -> None:
    document = (await gateway.get("/api/v1/openapi.json")).json()
    schemes = document["components"]["securitySchemes"]
    assert schemes["bearerAuth"] == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
    flow = schemes["clientCredentials"]["flows"]["clientCredentials"]
    assert flow["tokenUrl"] == "/api/v1/token"
    assert {"appraisal:read", "reports:read"} <= set(flow["scopes"])
    assert schemes["appKey"] == {"type": "apiKey", "in": "header", "name": "X-App-Key"}
    paths = document["paths"]
    assert paths["/api/v1/feedback/feedback"]["post"]["security"][0] == {"appKey": []}
    assert paths["/api/v1/appraisal/items"]["post"]["security"][0] == {"bearerAuth": []}


async def test_the_document_shows_published_results_without_security(
    gateway: httpx.AsyncClient,
) -> None:
    paths = (await gateway.get("/api/v1/openapi.json")).json()["paths"]
    assert paths["/api/v1/reporting/public/{rest}"]["get"]["security"] == []
    assert paths["/api/v1/appraisal/public/{rest}"]["get"]["security"][0] == {"bearerAuth": []}


async def test_forwarded_routes_declare_what_the_gateway_itself_answers(
    gateway: httpx.AsyncClient,
) -> None:
    document = (await gateway.get("/api/v1/openapi.json")).json()
    problem = {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}
    create = document["paths"]["/api/v1/appraisal/items"]["post"]["responses"]
    read = document["paths"]["/api/v1/appraisal/items/{item_id}"]["get"]["responses"]
    for status in ("401", "403", "429", "502", "503", "504", "413"):
        assert create[status]["content"] == problem, status
    assert "413" not in read  # no body, no size limit
    assert read["422"]["content"] == problem


async def test_a_down_service_is_named_and_its_last_known_document_still_served(
    start_gateway: Callable[..., Any], serve_app: Callable[..., Any], clock: Any
) -> None:
    app = FastAPI(openapi_url="/api/v1/reporting/openapi.json")

    class Ikm(BaseModel):
        value: float

    @app.get("/api/v1/reporting/ikm", response_model=Ikm)
    async def ikm() -> Ikm:
        return Ikm(value=88.5)

    service = serve_app(app)
    url = await service.__aenter__()
    stopped = False
    try:
        async with start_gateway(reporting_url=url, openapi_cache_seconds=30) as gateway:
            first = (await gateway.get("/api/v1/openapi.json")).json()
            assert "/api/v1/reporting/ikm" in first["paths"]
            assert "x-kinerja-unavailable" not in first
            await service.__aexit__(None, None, None)
            stopped = True
            # Within the cache time nothing is refetched: still complete.
            clock.advance(29)
            assert "x-kinerja-unavailable" not in (await gateway.get("/api/v1/openapi.json")).json()
            clock.advance(2)
            later = (await gateway.get("/api/v1/openapi.json")).json()
    finally:
        if not stopped:
            await service.__aexit__(None, None, None)
    check_structure(later)
    assert "/api/v1/reporting/ikm" in later["paths"]
    assert later["x-kinerja-unavailable"] == [
        {
            "service": "reporting",
            "reason": "ConnectError: the reporting service did not answer",
            "served_from_cache_age_seconds": 31.0,
        }
    ]


async def test_a_service_down_from_the_start_is_listed_as_unavailable(
    start_gateway: Callable[..., Any], free_url: str
) -> None:
    async with start_gateway(feedback_url=free_url) as gateway:
        document = (await gateway.get("/api/v1/openapi.json")).json()
    check_structure(document)
    assert [u["service"] for u in document["x-kinerja-unavailable"]] == ["feedback"]
    assert "/api/v1/appraisal/items" in document["paths"]
    assert not any(p.startswith("/api/v1/feedback/") for p in document["paths"])


async def test_the_docs_page_shows_swagger_ui_over_the_merged_document(
    gateway: httpx.AsyncClient,
) -> None:
    response = await gateway.get("/api/v1/docs")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "/api/v1/openapi.json" in response.text
    assert "cdn.jsdelivr.net" in response.headers["content-security-policy"]
