"""What a client address counts as for limits: one subscriber, and the network around it.

An IPv4 address is one subscriber. An IPv6 subscriber is usually given a whole /64 and can
pick any address in it at will, so it counts as its /64. For the per-network rules, an IPv4
address belongs to its /24 and an IPv6 address to its /48 (the usual site allocation). An
IPv4-mapped IPv6 address counts as its IPv4 address.
"""

from __future__ import annotations

import ipaddress

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def _parse(address: str) -> IpAddress | None:
    try:
        ip = ipaddress.ip_address(address.strip())
    except ValueError:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    return ip


def _network(ip: IpAddress, v4_prefix: int, v6_prefix: int) -> str:
    prefix = v4_prefix if ip.version == 4 else v6_prefix
    return str(ipaddress.ip_network(f"{ip}/{prefix}", strict=False))


def subscriber_of(address: str) -> str:
    """The subscriber an address stands for: the IPv4 address itself, or the IPv6 /64.
    A text that is not an address stands for itself."""
    ip = _parse(address)
    if ip is None:
        return address.strip()
    return str(ip) if ip.version == 4 else _network(ip, 32, 64)


def network_of(address: str) -> str | None:
    """The network of an address for the per-network rules (IPv4 /24, IPv6 /48); None for a
    text that is not an address."""
    ip = _parse(address)
    return None if ip is None else _network(ip, 24, 48)
