"""The X-Forwarded-For a service receives ends with the caller as the gateway resolved it.

The feedback service counts per-address limits and bursts on that last entry, so behind a
trusted load balancer it must be the citizen's address, not the balancer's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from kinerja_gateway.client_address import forwarded_chain, parse_networks

LB = parse_networks(["10.0.0.0/8"])


def test_from_an_untrusted_peer_the_peer_is_appended() -> None:
    assert forwarded_chain("203.0.113.5", None, LB) == "203.0.113.5"
    assert forwarded_chain("203.0.113.5", "6.6.6.6", LB) == "6.6.6.6, 203.0.113.5"


def test_behind_a_trusted_proxy_the_chain_ends_at_the_caller() -> None:
    # The balancer appended the citizen; the citizen forged the first entry.
    assert forwarded_chain("10.1.2.3", "6.6.6.6, 203.0.113.5", LB) == "6.6.6.6, 203.0.113.5"
    # Two trusted hops: both dropped from the end, the caller stays last.
    assert forwarded_chain("10.1.2.3", "203.0.113.5, 10.9.9.9", LB) == "203.0.113.5"


def test_a_trusted_peer_with_nothing_untrusted_behind_it_is_the_caller() -> None:
    assert forwarded_chain("10.1.2.3", None, LB) == "10.1.2.3"
    assert forwarded_chain("10.1.2.3", "10.2.2.2", LB) == "10.2.2.2, 10.1.2.3"


def test_without_a_peer_the_chain_is_passed_on() -> None:
    assert forwarded_chain(None, "203.0.113.5", LB) == "203.0.113.5"
    assert forwarded_chain(None, None, LB) is None


async def test_the_service_sees_the_caller_last_behind_a_trusted_proxy(
    start_gateway: Callable[..., Any], auth: Callable[..., dict[str, str]]
) -> None:
    async with start_gateway(trusted_proxies=["127.0.0.1"]) as gateway:
        response = await gateway.get(
            "/api/v1/appraisal/echo/h",
            headers={**auth("employee"), "X-Forwarded-For": "6.6.6.6, 203.0.113.7"},
        )
    seen = dict(response.json()["headers"])
    assert seen["x-forwarded-for"] == "6.6.6.6, 203.0.113.7"
