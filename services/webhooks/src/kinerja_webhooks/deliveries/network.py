"""Resolving targets and connecting only to addresses the rules allow (no SSRF).

The check runs where the connection is made: the HTTP client's network backend resolves the
host itself, vets every address (kinerja_webhooks.domain.targets) and connects to a vetted
one, so a name that resolves to another address by the time of a delivery (DNS rebinding)
is refused then too. TLS still verifies the certificate of the name in the URL.
"""

from __future__ import annotations

import socket
from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import anyio
import httpcore

from kinerja_webhooks.domain.targets import Network, first_refusal, url_refusal


class TargetRefused(Exception):
    """The target may not be connected to (its reason is the message)."""


async def resolve(host: str, port: int) -> list[str]:
    """Every address a host name resolves to (an IP literal resolves to itself)."""
    found = await anyio.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in found))


async def target_refusal(
    url: str, *, production: bool, allowed: Sequence[Network] = ()
) -> str | None:
    """Why a target is refused now (its form, or in production an address it resolves to)."""
    refusal = url_refusal(url, production=production)
    if refusal is not None or not production:
        return refusal
    parts = urlsplit(url)
    assert parts.hostname is not None
    try:
        addresses = await resolve(parts.hostname, parts.port or 443)
    except OSError as exc:
        return f"{parts.hostname} cannot be resolved: {exc}"
    return first_refusal(addresses, production=production, allowed=allowed)


class VettingBackend(httpcore.AsyncNetworkBackend):
    """A network backend connecting only to addresses the rules allow."""

    def __init__(self, *, production: bool, allowed: Sequence[Network] = ()) -> None:
        self.production = production
        self.allowed = tuple(allowed)
        self._inner = httpcore.AnyIOBackend()

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            addresses = await resolve(host, port)
        except OSError as exc:
            raise httpcore.ConnectError(f"{host} cannot be resolved: {exc}") from exc
        refusal = first_refusal(addresses, production=self.production, allowed=self.allowed)
        if refusal is not None:
            raise TargetRefused(f"{host}: {refusal}")
        return await self._inner.connect_tcp(
            addresses[0], port, timeout, local_address, socket_options
        )

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise TargetRefused("unix sockets are never a target")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)
