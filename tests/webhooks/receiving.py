"""A real HTTP receiver for the webhooks tests: it records every delivery and can be told to
fail the first ones or to hold its answers until released."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from typing import Any

from fastapi import FastAPI, Request, Response

from support.servers import serve


@dataclass
class Received:
    """One request as the receiver got it, and what it answered."""

    headers: dict[str, str]
    body: bytes
    answered: int

    @property
    def event(self) -> dict[str, Any]:
        """The CloudEvent in the body."""
        parsed: dict[str, Any] = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    """What the receiver got; `fail_first` requests are answered 500. While `held` is set,
    requests arrive (counted in `arrived`) but are answered only once `release()` is called."""

    url: str = ""
    fail_first: int = 0
    requests: list[Received] = field(default_factory=list)
    arrived: int = 0
    held: bool = False
    _released: asyncio.Event = field(default_factory=asyncio.Event)

    def release(self) -> None:
        """Answer the held requests and every one after."""
        self.held = False
        self._released.set()

    @property
    def accepted(self) -> list[Received]:
        """The requests answered with a 2xx."""
        return [r for r in self.requests if r.answered < 300]

    def accepted_ids(self) -> list[str]:
        """The event ids of the accepted deliveries, in the order they came."""
        return [r.event["id"] for r in self.accepted]


def receiver_app(state: Receiver) -> FastAPI:
    """The receiver's app: POST anywhere."""
    app = FastAPI()

    @app.post("/{path:path}")
    async def receive(request: Request, path: str) -> Response:
        state.arrived += 1
        if state.held:
            await state._released.wait()
        failing = len(state.requests) < state.fail_first
        status = 500 if failing else 204
        state.requests.append(Received(dict(request.headers), await request.body(), status))
        return Response(status_code=status)

    return app


@asynccontextmanager
async def running_receiver(fail_first: int = 0, *, held: bool = False) -> AsyncIterator[Receiver]:
    """A receiver on a real socket for the block."""
    state = Receiver(fail_first=fail_first, held=held)
    async with serve(receiver_app(state)) as url:
        state.url = url + "/hooks"
        yield state
