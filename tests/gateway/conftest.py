"""Gateway tests: real stand-in services and the real gateway, each on uvicorn on 127.0.0.1.

The stand-ins are small FastAPI apps serving under the real services' prefixes; they echo
what they receive so tests can see exactly what crossed the gateway.
"""

from __future__ import annotations

import asyncio
import hashlib
import socket
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack, asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import JSONResponse, Response, StreamingResponse
from pydantic import create_model

from kinerja_gateway.main import create_app
from kinerja_gateway.secrets_hashing import app_key_digest, hash_secret
from kinerja_gateway.settings import GatewaySettings, OAuthClient, RateLimit
from kinerja_shared.auth import issue_token
from kinerja_shared.gateway_assertion import AssertionVerifier
from kinerja_shared.middleware import GatewayAssertionMiddleware
from kinerja_shared.settings import DEV_GATEWAY_PUBLIC_KEY, AuthSettings, KafkaSettings
from support.servers import serve

APP_KEY = "test-app-key-0123456789"
CLIENT_SECRET = "payroll-secret"
LARGE_BODY_BYTES = 3 * 1024 * 1024


class FakeClock:
    """A monotonic clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@dataclass
class StandIn:
    """What a stand-in service saw, and knobs to change how it answers."""

    name: str
    hits: int = 0
    flaky_status: int = 200
    release_slow: asyncio.Event = field(default_factory=asyncio.Event)
    url: str = ""


def free_port_url() -> str:
    """The URL of a port where nothing listens (a stopped service)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def stand_in_app(state: StandIn, prefix: str, extra_prefixes: tuple[str, ...] = ()) -> FastAPI:
    """A service-like app under `prefix` with echo, problem, streaming and failure routes; like
    a real service it answers only requests with a valid gateway assertion (probes excepted),
    so every gateway test also checks that each upstream call carries one."""
    app = FastAPI(title=state.name, openapi_url=f"{prefix}/openapi.json", docs_url=None)
    app.add_middleware(
        GatewayAssertionMiddleware,
        verifier=AssertionVerifier(DEV_GATEWAY_PUBLIC_KEY, service=state.name, leeway_seconds=5),
    )
    router = APIRouter(tags=[state.name])
    # Every stand-in has its own `Item` (one more field), so the merge must rename them.
    item_model = create_model("Item", id=(str, ...), owner=(str, ...), **{state.name: (int, 0)})

    async def echo(request: Request) -> dict[str, Any]:
        state.hits += 1
        body = await request.body()
        return {
            "service": state.name,
            "method": request.method,
            "path": request.url.path,
            "query": request.url.query,
            "headers": [[k, v] for k, v in request.headers.items()],
            "body_sha256": hashlib.sha256(body).hexdigest(),
            "body_bytes": len(body),
        }

    hidden = {"include_in_schema": False}
    for p in (prefix, *extra_prefixes):
        app.add_api_route(
            p + "/echo/{rest:path}",
            echo,
            methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
            **hidden,
        )
    app.add_api_route(prefix + "/feedback", echo, methods=["POST"], operation_id="submit")
    app.add_api_route(prefix + "/track", echo, methods=["POST"], **hidden)
    app.add_api_route(prefix + "/track/withdraw", echo, methods=["POST"], **hidden)
    app.add_api_route(prefix + "/service-points", echo, methods=["GET"], **hidden)
    # Published results: open through the gateway under /api/v1/reporting/public (no credential).
    app.add_api_route(
        prefix + "/public/{rest:path}", echo, methods=["GET"], operation_id="published"
    )

    @router.get(f"{prefix}/items/{{item_id}}", response_model=item_model, operation_id="get_item")
    async def get_item(item_id: str) -> Any:
        """One item."""
        state.hits += 1
        return {"id": item_id, "owner": state.name, state.name: 1}

    async def add_item(item: Any) -> Any:
        """Add an item."""
        return item

    add_item.__annotations__["item"] = item_model  # a local class: no string annotation
    router.add_api_route(
        f"{prefix}/items", add_item, methods=["POST"], response_model=item_model, status_code=201
    )

    @router.get(f"{prefix}/problem")
    async def problem() -> JSONResponse:
        """A conflict, as services report it."""
        return JSONResponse(
            {"type": "about:blank", "title": "Conflict", "status": 409, "detail": "taken"},
            status_code=409,
            media_type="application/problem+json",
            headers={"X-Custom": "kept", "Location": f"{prefix}/items/1", "Connection": "close"},
        )

    @router.get(f"{prefix}/cookies")
    async def cookies() -> Response:
        """Two cookies (a repeated header)."""
        response = Response(status_code=204)
        response.set_cookie("a", "1")
        response.set_cookie("b", "2")
        return response

    @router.get(f"{prefix}/large")
    async def large() -> StreamingResponse:
        """A big body in many chunks."""

        async def chunks() -> AsyncIterator[bytes]:
            for i in range(LARGE_BODY_BYTES // 65536):
                yield bytes([i % 256]) * 65536

        return StreamingResponse(chunks(), media_type="application/octet-stream")

    @router.get(f"{prefix}/slow")
    async def slow() -> dict[str, str]:
        """Answers only when the test lets it."""
        await state.release_slow.wait()
        return {"status": "late"}

    @router.get(f"{prefix}/flaky")
    async def flaky() -> JSONResponse:
        """Answers with whatever status the test set."""
        state.hits += 1
        return JSONResponse({"status": state.flaky_status}, status_code=state.flaky_status)

    # The same under a public path (the survey), for anonymous callers with an app key.
    router.add_api_route(f"{prefix}/survey/flaky", flaky, methods=["GET"], include_in_schema=False)

    @router.get(f"{prefix}/employees/{{employee_id}}/summary")
    async def employee_summary(employee_id: str, request: Request) -> Any:
        """Part of a dashboard (echoes the caller's token to show it was forwarded)."""
        if employee_id == "missing":
            return JSONResponse({"title": "Not found", "status": 404}, status_code=404)
        return {
            "service": state.name,
            "employee_id": employee_id,
            "query": request.url.query,
            "authorization": request.headers.get("authorization"),
        }

    app.include_router(router)

    @app.get("/health/ready")
    async def ready(request: Request) -> dict[str, Any]:
        """Up; with a bearer token (an operator's, forwarded by the gateway) its checks too."""
        if request.headers.get("authorization"):
            return {"status": "up", "service": state.name, "checks": {"database": {"status": "up"}}}
        return {"status": "up"}

    return app


@pytest.fixture(scope="session")
async def stand_ins() -> AsyncIterator[dict[str, StandIn]]:
    """The four stand-in services, running for the whole session."""
    states = {n: StandIn(n) for n in ("appraisal", "feedback", "reporting", "webhooks")}
    apps = {
        "appraisal": stand_in_app(states["appraisal"], "/api/v1/appraisal"),
        "feedback": stand_in_app(states["feedback"], "/api/v1/feedback", ("/api/v1/open311",)),
        "reporting": stand_in_app(states["reporting"], "/api/v1/reporting"),
        "webhooks": stand_in_app(states["webhooks"], "/api/v1/webhooks"),
    }
    async with (
        serve(apps["appraisal"]) as a,
        serve(apps["feedback"]) as f,
        serve(apps["reporting"]) as r,
        serve(apps["webhooks"]) as w,
    ):
        states["appraisal"].url, states["feedback"].url, states["reporting"].url = a, f, r
        states["webhooks"].url = w
        yield states
        for state in states.values():
            state.release_slow.set()


PREFIXES: dict[str, tuple[str, tuple[str, ...]]] = {
    "appraisal": ("/api/v1/appraisal", ()),
    "feedback": ("/api/v1/feedback", ("/api/v1/open311",)),
    "reporting": ("/api/v1/reporting", ()),
    "webhooks": ("/api/v1/webhooks", ()),
}


@pytest.fixture
def stand_in_instances() -> Callable[[str, int], Any]:
    """Start more instances of a stand-in service, each with its own state:
    `async with stand_in_instances("feedback", 2) as (first, second): ...`."""

    @asynccontextmanager
    async def start(name: str, count: int) -> AsyncIterator[list[StandIn]]:
        prefix, extra = PREFIXES[name]
        states = [StandIn(name) for _ in range(count)]
        async with AsyncExitStack() as stack:
            for state in states:
                state.url = await stack.enter_async_context(
                    serve(stand_in_app(state, prefix, extra))
                )
            yield states

    return start


@pytest.fixture
def serve_app() -> Callable[[FastAPI], Any]:
    """`serve` as a fixture, for tests that run an app of their own."""
    return serve


@pytest.fixture
def free_url() -> str:
    """A URL where no service listens."""
    return free_port_url()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture(scope="session")
def make_settings(stand_ins: dict[str, StandIn]) -> Callable[..., GatewaySettings]:
    """Gateway settings pointing at the stand-ins; keyword arguments override fields."""

    def build(**overrides: Any) -> GatewaySettings:
        values: dict[str, Any] = {
            "appraisal_url": stand_ins["appraisal"].url,
            "feedback_url": stand_ins["feedback"].url,
            "reporting_url": stand_ins["reporting"].url,
            "webhooks_url": stand_ins["webhooks"].url,
            "app_keys": {"test-app": app_key_digest(APP_KEY)},
            "oauth_clients": {
                "payroll": OAuthClient(
                    secret_hash=hash_secret(CLIENT_SECRET, iterations=1000),
                    scopes=["appraisal:read", "reports:read"],
                )
            },
            "kafka": KafkaSettings(bootstrap_servers=free_port_url().removeprefix("http://")),
            "auth": AuthSettings(),
            "client_rate_limit": RateLimit(per_minute=6000, burst=1000),
            "address_rate_limit": RateLimit(per_minute=6000, burst=1000),
            "default_timeout_seconds": 5.0,
            "breaker_failure_threshold": 3,
            "breaker_cooldown_seconds": 10.0,
            "openapi_cache_seconds": 30.0,
            "readiness_timeout_seconds": 1.0,
            "dashboard_employee_parts": {
                "plan": "appraisal:/api/v1/appraisal/employees/{employee_id}/summary?year={year}",
                "feedback_summary": "reporting:/api/v1/reporting/employees/{employee_id}/summary",
            },
            "dashboard_unit_parts": {
                "ikm": "reporting:/api/v1/reporting/employees/{unit_id}/summary",
            },
        }
        values.update(overrides)
        return GatewaySettings(**values)

    return build


@pytest.fixture
def start_gateway(
    make_settings: Callable[..., GatewaySettings], clock: FakeClock
) -> Callable[..., Any]:
    """Start a real gateway on uvicorn; yields an httpx client pointed at it."""

    @asynccontextmanager
    async def start(**overrides: Any) -> AsyncIterator[httpx.AsyncClient]:
        app = create_app(make_settings(**overrides), clock=clock)
        async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
            yield client

    return start


@pytest.fixture(scope="module")
async def gateway(
    make_settings: Callable[..., GatewaySettings],
) -> AsyncIterator[httpx.AsyncClient]:
    """A gateway with the default test settings, shared by a module's tests (its rate limits
    are high and its breakers see no failures, so tests cannot disturb each other)."""
    app = create_app(make_settings(), clock=FakeClock())
    async with serve(app) as url, httpx.AsyncClient(base_url=url, timeout=10) as client:
        yield client


@pytest.fixture
def token() -> Callable[..., str]:
    """Mint a token with the development key: token(role, ...)."""

    def mint(*roles: str, subject: str = "u1", **kwargs: Any) -> str:
        return issue_token(AuthSettings(), subject=subject, roles=roles, **kwargs)

    return mint


@pytest.fixture
def auth(token: Callable[..., str]) -> Callable[..., dict[str, str]]:
    """Authorization headers with a fresh token: auth(role, ...)."""

    def headers(*roles: str, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {token(*roles, **kwargs)}"}

    return headers
