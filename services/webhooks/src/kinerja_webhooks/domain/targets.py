"""Where deliveries may go (no SSRF): docs/domain.md, Webhooks.

In production a target is https and every address its host resolves to is public: not
private, loopback, link-local, multicast, reserved or unspecified, unless it lies in a
network of the allow-list (the city's own systems). Outside production anything goes, so
that `http://127.0.0.1` can be tried on one machine.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable, Sequence
from urllib.parse import urlsplit

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


def url_refusal(url: str, *, production: bool) -> str | None:
    """Why a target URL is refused by its form alone, or None."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port out of range
    except ValueError as exc:
        return f"not a URL: {exc}"
    if parts.scheme not in ("https", "http"):
        return "the target must be an http(s) URL"
    if not parts.hostname:
        return "the target URL names no host"
    if parts.username or parts.password:
        return "the target URL may not carry credentials"
    if production and parts.scheme != "https":
        return "in production the target must be https"
    return None


def address_refusal(
    address: str, *, production: bool, allowed: Sequence[Network] = ()
) -> str | None:
    """Why a resolved address may not be connected to, or None."""
    try:
        ip: Address = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return f"{address} is not an IP address"
    if not production:
        return None
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    if any(ip in network for network in allowed if network.version == ip.version):
        return None
    for what, flag in (
        ("a loopback", ip.is_loopback),
        ("a link-local", ip.is_link_local),
        ("a multicast", ip.is_multicast),
        ("an unspecified", ip.is_unspecified),
        ("a reserved", ip.is_reserved),
        ("a private", ip.is_private),
        ("not a globally reachable", not ip.is_global),
    ):
        if flag:
            return f"{ip} is {what} address"
    return None


def first_refusal(
    addresses: Iterable[str], *, production: bool, allowed: Sequence[Network] = ()
) -> str | None:
    """Why a host is refused: the first of its addresses that is (all must be allowed)."""
    for address in addresses:
        refusal = address_refusal(address, production=production, allowed=allowed)
        if refusal is not None:
            return refusal
    return None
