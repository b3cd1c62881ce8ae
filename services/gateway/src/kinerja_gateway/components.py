"""What one gateway process holds: pooled upstream clients, breakers, limiters, the verifier."""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Annotated

import httpx
from fastapi import Depends, Request

from kinerja_gateway.access import Caller
from kinerja_gateway.breaker import CircuitBreaker, Clock
from kinerja_gateway.client_address import address_group, caller_address, parse_networks
from kinerja_gateway.rate_limit import RateLimiter
from kinerja_gateway.routing import Upstream, upstreams_from
from kinerja_gateway.secrets_hashing import unknown_client_hash
from kinerja_gateway.settings import GatewaySettings
from kinerja_gateway.upstream_http import UpstreamPool
from kinerja_shared.auth import TokenVerifier
from kinerja_shared.gateway_assertion import AssertionSigner, GatewayAssertionAuth
from kinerja_shared.problems import TooManyRequests


@dataclass
class Instance:
    """One instance of an upstream service, with its own connection pools and circuit breaker:
    `pool` carries proxied requests, `http` the gateway's own calls (health, docs, dashboard;
    it signs a gateway assertion for each).
    """

    url: str
    http: httpx.AsyncClient
    pool: UpstreamPool
    breaker: CircuitBreaker


@dataclass
class UpstreamClient:
    """One upstream service: its instances, called in round-robin order."""

    upstream: Upstream
    instances: list[Instance]
    _next: int = 0

    def rotation(self) -> list[Instance]:
        """Every instance, starting with the next one in round-robin order."""
        start = self._next % len(self.instances)
        self._next = start + 1
        return self.instances[start:] + self.instances[:start]

    def choose(self, rotation: list[Instance], tried: Instance | None = None) -> Instance | None:
        """The first instance of `rotation` (other than `tried`) whose breaker lets a call
        through now; asking claims a half-open breaker's trial, so call it just before sending.
        """
        return next(
            (i for i in rotation if i is not tried and i.breaker.allow()),
            None,
        )

    def retry_after(self) -> float:
        """Seconds until some instance's breaker allows a trial call."""
        return min(i.breaker.retry_after() for i in self.instances)


class GatewayComponents:
    """Built once per app from settings; closed at shutdown."""

    def __init__(self, settings: GatewaySettings, *, clock: Clock = time.monotonic) -> None:
        self.settings = settings
        self.clock = clock
        self.verifier = TokenVerifier(settings.auth)
        self.token_signer = settings.token_signer()
        self.unknown_client_hash = unknown_client_hash(
            c.secret_hash for c in settings.oauth_clients.values()
        )
        self.signer = AssertionSigner(
            settings.assertion_private_key.get_secret_value(),
            ttl_seconds=settings.assertion_ttl_seconds,
        )
        limits = httpx.Limits(
            max_connections=settings.pool_max_connections,
            max_keepalive_connections=settings.pool_max_keepalive,
            keepalive_expiry=settings.keepalive_expiry_seconds,
        )
        tls = httpx.create_ssl_context()  # one context for all pools (building one is slow)
        timeout = httpx.Timeout(
            settings.default_timeout_seconds,
            connect=settings.connect_timeout_seconds,
            pool=settings.connect_timeout_seconds,
        )
        self.upstreams: dict[str, UpstreamClient] = {
            name: UpstreamClient(
                upstream=upstream,
                instances=[
                    Instance(
                        url=url,
                        http=httpx.AsyncClient(
                            base_url=url,
                            limits=limits,
                            timeout=timeout,
                            follow_redirects=False,
                            verify=tls,
                            trust_env=False,
                            auth=GatewayAssertionAuth(self.signer, service=name),
                        ),
                        pool=UpstreamPool(url, limits=limits, timeout=timeout, ssl_context=tls),
                        breaker=CircuitBreaker(
                            failure_threshold=settings.breaker_failure_threshold,
                            cooldown_seconds=settings.breaker_cooldown_seconds,
                            clock=clock,
                        ),
                    )
                    for url in upstream.base_urls
                ],
            )
            for name, upstream in upstreams_from(settings).items()
        }
        self.trusted_proxies = parse_networks(settings.trusted_proxies)
        max_keys = settings.rate_limit_max_tracked
        self.address_limiter = RateLimiter(
            settings.address_rate_limit, max_keys=max_keys, clock=clock
        )
        self.client_limiter = RateLimiter(
            settings.client_rate_limit, max_keys=max_keys, clock=clock
        )
        self.app_limiter = RateLimiter(settings.app_key_rate_limit, max_keys=max_keys, clock=clock)

    async def aclose(self) -> None:
        """Close every connection pool."""
        for client in self.upstreams.values():
            for instance in client.instances:
                await instance.http.aclose()
                await instance.pool.aclose()

    def client_address(self, request: Request) -> str:
        """The caller's address: the peer, or behind a trusted proxy the caller it names."""
        return caller_address(
            request.client.host if request.client else None,
            request.headers.get("x-forwarded-for"),
            self.trusted_proxies,
        )

    def limit_address(self, address: str) -> None:
        """Per-address rate limit (IPv6 per /64); 429 with Retry-After when exceeded."""
        _refuse_if_waiting(
            self.address_limiter.take(f"addr:{address_group(address)}"), "this address"
        )

    def limit_client(self, caller: Caller, address: str) -> None:
        """Per-client rate limit: a token's subject or OAuth2 client; an anonymous user of an
        app by app key and address (IPv6 per /64), so that a few busy addresses cannot use up
        what every citizen with the app shares; an anonymous caller of an open route (no app
        key) by address alone, with the same limit."""
        if caller.identity is None:
            key = f"{caller.client_key}:{address_group(address)}"
            _refuse_if_waiting(self.app_limiter.take(key), "this client")
            return
        _refuse_if_waiting(self.client_limiter.take(caller.client_key), "this client")

    def limit_key(self, key: str) -> None:
        """Per-client rate limit for a key known before authentication (the token endpoint)."""
        _refuse_if_waiting(self.client_limiter.take(key), "this client")


def _refuse_if_waiting(wait: float, who: str) -> None:
    if wait > 0:
        seconds = max(1, math.ceil(wait))
        raise TooManyRequests(
            f"too many requests from {who}; retry after {seconds} s",
            headers={"Retry-After": str(seconds)},
            extra={"retry_after_seconds": seconds},
        )


async def get_components(request: Request) -> GatewayComponents:
    """The components of the app serving this request (async: a plain function would cost a
    worker-thread hand-off per request)."""
    components: GatewayComponents = request.app.state.components
    return components


Components = Annotated[GatewayComponents, Depends(get_components)]
