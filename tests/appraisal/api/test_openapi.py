"""The service's OpenAPI document (the gateway merges it) and health endpoints."""

from __future__ import annotations

from fastapi import FastAPI
from httpx import ASGITransport, AsyncClient

from support.gateway_assertion import AsGateway


async def test_the_openapi_document_is_served_under_the_prefix(app: FastAPI) -> None:
    async with AsyncClient(
        transport=ASGITransport(app), base_url="http://a", auth=AsGateway("appraisal")
    ) as http:
        response = await http.get("/api/v1/appraisal/openapi.json")
        health = await http.get("/health")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/appraisal/periods/{period_id}/units/{unit_id}/finalize" in paths
    assert "/api/v1/appraisal/results/changes" in paths
    assert health.json()["service"] == "appraisal"
