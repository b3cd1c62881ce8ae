"""Whether the Kafka cluster answers, for readiness: a metadata request within a deadline.

That a broker accepts a TCP connection proves nothing: a frozen one (a long pause, a stalled
host) still does, through its kernel. The check logs in as the service's own principal on a
connection of its own, asks a bootstrap server and then a broker as advertised for the
cluster's metadata, and gives up at the deadline.
"""

from __future__ import annotations

import asyncio
from typing import Any

from kinerja_shared.events.topics import new_admin
from kinerja_shared.settings import KafkaSettings


async def metadata_answered(settings: KafkaSettings, deadline_seconds: float) -> dict[str, Any]:
    """`status` up when the cluster answered within the deadline, else down with `error`;
    `bootstrap_servers` says where it asked."""
    result: dict[str, Any] = {"bootstrap_servers": settings.bootstrap_servers}
    try:
        # The client's own timeouts a second later than ours: the deadline decides, and every
        # connection the client opened is closed when it passes.
        admin = new_admin(settings, request_timeout_ms=int((deadline_seconds + 1) * 1000))
    except ValueError as exc:  # settings no client can connect with
        return {**result, "status": "down", "error": str(exc)}
    try:
        async with asyncio.timeout(deadline_seconds):
            await admin.start()  # a metadata request to a bootstrap server
            await admin.describe_cluster()  # and one to a broker as it advertises itself
    except TimeoutError:
        error = f"no answer to a metadata request within {deadline_seconds:g} s"
        return {**result, "status": "down", "error": error}
    except Exception as exc:  # refused, unknown host, authentication: any failure is down
        error = f"a metadata request failed: {type(exc).__name__}: {exc}"
        return {**result, "status": "down", "error": error}
    finally:
        await admin.close()
    return {**result, "status": "up"}
