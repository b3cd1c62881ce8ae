"""The caller's IP address for per-address limits, seen through trusted proxies only, and the
group of addresses one rate-limit bucket counts."""

from __future__ import annotations

import ipaddress
from collections.abc import Sequence

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(cidrs: Sequence[str]) -> tuple[Network, ...]:
    """`10.0.0.0/8`, `127.0.0.1` ... as networks (a bare address is a /32 or /128)."""
    return tuple(ipaddress.ip_network(c.strip(), strict=False) for c in cidrs if c.strip())


def _trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in networks)


def caller_address(
    peer: str | None, forwarded_for: str | None, trusted: tuple[Network, ...]
) -> str:
    """The peer, unless it is a trusted proxy: then the right-most untrusted X-Forwarded-For
    entry (entries left of it were written by the caller and cannot be believed)."""
    address = peer or "unknown"
    if not _trusted(address, trusted) or not forwarded_for:
        return address
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        if not _trusted(hop, trusted):
            return hop
    return address


def forwarded_chain(
    peer: str | None,
    forwarded_for: str | None,
    trusted: tuple[Network, ...],
    *,
    caller: str | None = None,
) -> str | None:
    """The X-Forwarded-For to send upstream: its last entry is always the caller as
    `caller_address` resolved it, which is the entry the services believe.

    From an untrusted peer the peer is appended (entries left of it are the caller's own
    claims and stay visible as such). Behind a trusted proxy the chain ends at the caller:
    the trusted hops after it are the city's own load balancers, and appending one of them
    would make every citizen look like the same address. `caller`: what `caller_address`
    answered for the same three, when the proxy already asked it.
    """
    if peer is None:
        return forwarded_for or None
    if caller is None:
        caller = caller_address(peer, forwarded_for, trusted)
    hops = [h.strip() for h in (forwarded_for or "").split(",") if h.strip()]
    if caller == peer or caller not in hops:
        return ", ".join([*hops, peer])
    last = len(hops) - 1 - hops[::-1].index(caller)
    return ", ".join(hops[: last + 1])


def address_group(address: str) -> str:
    """The rate-limit bucket of an address: an IPv4 address is its own, an IPv6 address
    shares its /64 (one subscriber is handed a whole /64 and could otherwise take a fresh
    bucket per request); an IPv4-mapped IPv6 address counts as the IPv4 one."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address  # "unknown", or what a trusted proxy wrote: a bucket of its own
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)
