"""Which address a per-address limit counts: the peer, or the caller behind a trusted proxy;
and how addresses are grouped into buckets (IPv4 each, IPv6 per /64)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from kinerja_gateway.client_address import address_group, caller_address, parse_networks
from kinerja_gateway.settings import GatewaySettings, RateLimit

LB = parse_networks(["10.0.0.0/8", "127.0.0.1"])
APP_KEY = "test-app-key-0123456789"  # the one tests/gateway/conftest.py registers


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


def test_an_ipv4_address_is_its_own_rate_limit_group() -> None:
    assert address_group("203.0.113.5") == "203.0.113.5"
    assert address_group("203.0.113.6") != address_group("203.0.113.5")


def test_ipv6_addresses_are_grouped_per_64_and_mapped_ipv4_as_ipv4() -> None:
    # One subscriber is handed a whole /64: counting each address would let it multiply its
    # buckets at will.
    assert address_group("2001:db8:1:2::1") == address_group("2001:db8:1:2:ffff:ffff:ffff:fffe")
    assert address_group("2001:db8:1:2::1") == "2001:db8:1:2::/64"
    assert address_group("2001:db8:1:3::1") != address_group("2001:db8:1:2::1")
    assert address_group("::ffff:203.0.113.5") == "203.0.113.5"
    assert address_group("unknown") == "unknown"


def anonymous(gateway: httpx.AsyncClient, address: str) -> Any:
    """A citizen's call (app key, no token) from `address` behind the trusted proxy."""
    headers = {"X-App-Key": APP_KEY, "X-Forwarded-For": address}
    return gateway.get("/api/v1/feedback/service-points", headers=headers)


async def test_a_busy_address_exhausts_its_own_app_key_bucket_and_other_citizens_are_served(
    start_gateway: Callable[..., Any],
) -> None:
    limit = RateLimit(per_minute=60, burst=2)
    async with start_gateway(app_key_rate_limit=limit, trusted_proxies=["127.0.0.1"]) as gateway:
        busy = [(await anonymous(gateway, "198.51.100.7")).status_code for _ in range(4)]
        citizen = await anonymous(gateway, "203.0.113.20")
    assert busy == [200, 200, 429, 429]
    assert citizen.status_code == 200


async def test_two_addresses_in_one_ipv6_64_share_an_app_key_bucket(
    start_gateway: Callable[..., Any],
) -> None:
    limit = RateLimit(per_minute=60, burst=2)
    async with start_gateway(app_key_rate_limit=limit, trusted_proxies=["127.0.0.1"]) as gateway:
        first = (await anonymous(gateway, "2001:db8:1:2::1")).status_code
        second = (await anonymous(gateway, "2001:db8:1:2::abcd")).status_code
        same_64 = await anonymous(gateway, "2001:db8:1:2:ffff::9")
        next_64 = await anonymous(gateway, "2001:db8:1:3::1")
    assert [first, second, same_64.status_code] == [200, 200, 429]
    assert next_64.status_code == 200


async def test_two_addresses_in_one_ipv6_64_share_an_address_bucket(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    limit = RateLimit(per_minute=60, burst=1)
    async with start_gateway(address_rate_limit=limit, trusted_proxies=["127.0.0.1"]) as gateway:

        async def call(address: str) -> int:
            headers = {**auth("employee", subject=address), "X-Forwarded-For": address}
            return (await gateway.get("/api/v1/appraisal/echo/x", headers=headers)).status_code

        assert await call("2001:db8:5:6::1") == 200
        assert await call("2001:db8:5:6::2") == 429
        assert await call("2001:db8:5:7::1") == 200


async def test_anonymous_readers_of_published_results_are_limited_per_address(
    start_gateway: Callable[..., Any],
) -> None:
    limit = RateLimit(per_minute=60, burst=2)
    async with start_gateway(app_key_rate_limit=limit, trusted_proxies=["127.0.0.1"]) as gateway:

        async def read(address: str) -> int:
            response = await gateway.get(
                "/api/v1/reporting/public/ikm/units", headers={"X-Forwarded-For": address}
            )
            return response.status_code

        busy = [await read("198.51.100.7") for _ in range(3)]
        other = await read("203.0.113.20")
    assert busy == [200, 200, 429]
    assert other == 200
