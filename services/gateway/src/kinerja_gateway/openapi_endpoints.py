"""The merged OpenAPI document of the whole API and its interactive docs."""

from __future__ import annotations

import asyncio
import copy
from dataclasses import dataclass
from typing import Any

import httpx
from fastapi import APIRouter, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

from kinerja_gateway.components import Components, GatewayComponents
from kinerja_gateway.openapi_merge import Document, apply_security, merge_documents
from kinerja_gateway.public_routes import is_open, is_public
from kinerja_gateway.routing import API_PREFIX
from kinerja_shared.problem_docs import declare_problems

OPENAPI_PATH = f"{API_PREFIX}/openapi.json"
DOCS_PATH = f"{API_PREFIX}/docs"
KNOWN_SCOPES = {
    "appraisal:read": "Read appraisal data (plans, assessments, predikat)",
    "appraisal:write": "Change appraisal data",
    "feedback:read": "Read feedback data",
    "feedback:write": "Submit or change feedback data",
    "reports:read": "Read reports (IKM, distributions, flags)",
    "webhooks:manage": "Manage one's own webhook subscriptions and see their deliveries",
}

#: What the gateway itself may answer on any route it forwards: no or a refused credential,
#: a rate limit, a service that cannot be reached, is failing or is too slow; and on a route
#: that takes a body, one over the size limit.
GATEWAY_PROBLEMS = (401, 403, 429, 502, 503, 504)
GATEWAY_BODY_PROBLEMS = (413,)

router = APIRouter(tags=["docs"])


@dataclass
class _Fetched:
    document: Document
    fetched_at: float


class ServiceDocuments:
    """Each service's OpenAPI document, cached for `openapi_cache_seconds`."""

    def __init__(self) -> None:
        self._cache: dict[str, _Fetched] = {}
        self._lock = asyncio.Lock()

    async def collect(
        self, components: GatewayComponents
    ) -> tuple[dict[str, Document], list[dict[str, Any]]]:
        """The documents known now, and which services could not give theirs."""
        async with self._lock:
            now = components.clock()
            ttl = components.settings.openapi_cache_seconds
            stale = [
                name
                for name in components.upstreams
                if name not in self._cache or now - self._cache[name].fetched_at >= ttl
            ]
            results = await asyncio.gather(*(self._fetch(components, n) for n in stale))
            unavailable: list[dict[str, Any]] = []
            for name, result in zip(stale, results, strict=True):
                if isinstance(result, dict):
                    self._cache[name] = _Fetched(result, now)
                    continue
                entry: dict[str, Any] = {"service": name, "reason": result}
                if name in self._cache:
                    entry["served_from_cache_age_seconds"] = round(
                        now - self._cache[name].fetched_at, 1
                    )
                unavailable.append(entry)
            documents = {
                n: self._cache[n].document for n in components.upstreams if n in self._cache
            }
            return documents, unavailable

    @staticmethod
    async def _fetch(components: GatewayComponents, name: str) -> Document | str:
        client = components.upstreams[name]
        error: httpx.HTTPError | None = None
        # Every instance serves the same document: ask them in turn until one answers.
        for instance in client.rotation():
            try:
                response = await instance.http.get(
                    client.upstream.openapi_path,
                    timeout=components.settings.openapi_fetch_timeout_seconds,
                )
                break
            except httpx.HTTPError as exc:
                error = exc
        else:
            return f"{type(error).__name__}: the {name} service did not answer"
        if response.status_code != 200:
            return f"the {name} service answered {response.status_code}"
        try:
            document = response.json()
        except ValueError:
            return f"the {name} service sent a document that is not JSON"
        if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
            return f"the {name} service sent a document without paths"
        return document


def security_schemes(components: GatewayComponents) -> dict[str, Any]:
    """How callers authenticate: bearer JWT, OAuth2 client credentials, the app key."""
    scopes = dict(KNOWN_SCOPES)
    for client in components.settings.oauth_clients.values():
        for scope in client.scopes:
            scopes.setdefault(scope, scope)
    return {
        "bearerAuth": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"},
        "clientCredentials": {
            "type": "oauth2",
            "flows": {"clientCredentials": {"tokenUrl": f"{API_PREFIX}/token", "scopes": scopes}},
        },
        "appKey": {"type": "apiKey", "in": "header", "name": "X-App-Key"},
    }


def _gateway_document(request: Request) -> Document:
    cached: Document | None = getattr(request.app.state, "own_openapi", None)
    if cached is None:
        cached = get_openapi(
            title="Kinerja API",
            version="1.0.0",
            description=(
                "One API for appraisal, citizen feedback and reporting (Kota Denpasar). "
                "Public feedback routes take an `X-App-Key`; everything else a bearer token "
                "(staff: from the OIDC issuer; other systems: `POST /api/v1/token`)."
            ),
            routes=request.app.routes,
        )
        request.app.state.own_openapi = declare_problems(cached)
    return cached


@router.get(OPENAPI_PATH, summary="The merged OpenAPI document of the whole API")
async def merged_openapi(request: Request, components: Components) -> JSONResponse:
    """The gateway's routes and every service's, with `x-kinerja-unavailable` listing services
    whose document could not be fetched (their last known copy is used when there is one)."""
    documents, unavailable = await request.app.state.service_documents.collect(components)
    service_docs = {name: copy.deepcopy(doc) for name, doc in documents.items()}
    for doc in service_docs.values():
        apply_security(doc, public=is_public, open_route=is_open)
        declare_problems(doc, every=GATEWAY_PROBLEMS, with_body=GATEWAY_BODY_PROBLEMS)
    merged = merge_documents(
        _gateway_document(request),
        service_docs,
        security_schemes=security_schemes(components),
        unavailable=unavailable,
    )
    return JSONResponse(merged)


@router.get(DOCS_PATH, include_in_schema=False)
async def docs() -> HTMLResponse:
    """Swagger UI over the merged document."""
    return get_swagger_ui_html(openapi_url=OPENAPI_PATH, title="Kinerja API")
