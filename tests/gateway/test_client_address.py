"""Which address a per-address limit counts: the peer, or the caller behind a trusted proxy."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from pydantic import ValidationError

from kinerja_gateway.client_address import caller_address, parse_networks
from kinerja_gateway.settings import GatewaySettings, RateLimit

LB = parse_networks(["10.0.0.0/8", "127.0.0.1"])


def test_an_untrusted_peer_is_the_caller_whatever_it_forwards() -> None:
    assert caller_address("203.0.113.5", "198.51.100.1", LB) == "203.0.113.5"


def test_behind_a_trusted_proxy_the_right_most_untrusted_hop_is_the_caller() -> None:
    # The caller wrote the first entry itself; the load balancer appended the real address.
    assert caller_address("10.1.2.3", "1.2.3.4, 203.0.113.5", LB) == "203.0.113.5"
    assert caller_address("10.1.2.3", "203.0.113.5, 10.9.9.9", LB) == "203.0.113.5"


def test_a_trusted_peer_without_a_forwarded_address_is_itself() -> None:
    assert caller_address("10.1.2.3", None, LB) == "10.1.2.3"
    assert caller_address("10.1.2.3", "10.2.2.2", LB) == "10.1.2.3"
    assert caller_address(None, None, LB) == "unknown"


def test_settings_refuse_a_trusted_proxy_that_is_not_an_address() -> None:
    with pytest.raises(ValidationError, match="trusted_proxies"):
        GatewaySettings(trusted_proxies=["load-balancer"])


async def test_callers_behind_a_trusted_proxy_have_separate_address_limits(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    limit = RateLimit(per_minute=60, burst=1)
    async with start_gateway(address_rate_limit=limit, trusted_proxies=["127.0.0.1"]) as gateway:

        async def call(address: str) -> int:
            headers = {**auth("employee", subject=address), "X-Forwarded-For": address}
            return (await gateway.get("/api/v1/appraisal/echo/x", headers=headers)).status_code

        assert [await call("203.0.113.1"), await call("203.0.113.2")] == [200, 200]
        assert await call("203.0.113.1") == 429
