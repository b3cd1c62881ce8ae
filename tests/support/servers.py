"""Running ASGI apps on real sockets inside a test (uvicorn on 127.0.0.1, a free port)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import uvicorn
from fastapi import FastAPI


@asynccontextmanager
async def serve(app: FastAPI) -> AsyncIterator[str]:
    """Run an app (lifespan included) until the block ends; yield its base URL."""
    # proxy_headers=False: a test's own X-Forwarded-For must not replace the peer address.
    # Idle connections are kept 75 s, as deployed (KINERJA_SERVER_KEEPALIVE_SECONDS), above
    # the gateway's 30 s pool expiry: with uvicorn's default of 5 s a test pausing ~5 s raced
    # the service closing the gateway's kept-alive connection, and a POST got the gateway's 503.
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=0,
        log_level="warning",
        lifespan="on",
        proxy_headers=False,
        timeout_keep_alive=75,
    )
    server = uvicorn.Server(config)
    server.install_signal_handlers = lambda: None  # type: ignore[method-assign]
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()
        await asyncio.sleep(0.005)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task
