"""Serving an app with uvicorn, the same way for every service and the gateway."""

from __future__ import annotations

import uvicorn

from kinerja_shared.settings import ServiceSettings


def serve(app: str, settings: ServiceSettings) -> None:
    """Run `app` ("package.module:app") on the settings' host and port until stopped.

    As the command lines of deploy/Procfile and deploy/Dockerfile: no access log (the request
    id middleware writes one line per request), no proxy headers (the gateway resolves the
    caller's address itself, services take it from the gateway's assertion), and idle
    connections kept `KINERJA_SERVER_KEEPALIVE_SECONDS`, longer than the gateway's pool keeps
    them, so a service never closes a connection the gateway is about to reuse.
    """
    uvicorn.run(
        app,
        host=settings.host,
        port=settings.port,
        access_log=False,
        proxy_headers=False,
        timeout_keep_alive=settings.server_keepalive_seconds,
    )
