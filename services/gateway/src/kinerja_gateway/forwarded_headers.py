"""Which headers cross the gateway: hop-by-hop ones are dropped, forwarding ones added."""

from __future__ import annotations

from collections.abc import Iterable

from starlette.datastructures import Headers

from kinerja_shared.gateway_assertion import ASSERTION_HEADER

#: RFC 9110 §7.6.1 connection-specific headers, never forwarded.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
#: Request headers the gateway sets itself or keeps to itself.
_REQUEST_OWN = frozenset(
    {
        "host",
        "x-request-id",
        "x-app-key",
        "x-forwarded-for",
        "x-forwarded-proto",
        "x-forwarded-host",
        "authorization",
        ASSERTION_HEADER,  # only the gateway's own, never a caller's
    }
)
#: Response headers the gateway's own server and middleware set.
_RESPONSE_OWN = frozenset({"date", "server", "x-request-id"})


def _connection_named(headers: Iterable[tuple[str, str]]) -> set[str]:
    named: set[str] = set()
    for key, value in headers:
        if key.lower() == "connection":
            named.update(v.strip().lower() for v in value.split(",") if v.strip())
    return named


def upstream_request_headers(
    incoming: Headers,
    *,
    forwarded_for: str | None,
    request_id: str | None,
    token: str | None,
    scheme: str,
) -> list[tuple[str, str]]:
    """Headers to send upstream: the caller's, minus hop-by-hop, plus forwarding headers
    (`forwarded_for` is the chain from `client_address.forwarded_chain`)."""
    items = incoming.items()
    drop = HOP_BY_HOP | _REQUEST_OWN | _connection_named(items)
    headers = [(k, v) for k, v in items if k.lower() not in drop]
    if forwarded_for:
        headers.append(("x-forwarded-for", forwarded_for))
    headers.append(("x-forwarded-proto", incoming.get("x-forwarded-proto", scheme)))
    if "host" in incoming:
        headers.append(("x-forwarded-host", incoming.get("x-forwarded-host", incoming["host"])))
    if request_id:
        headers.append(("x-request-id", request_id))
    if token:
        headers.append(("authorization", f"Bearer {token}"))
    return headers


def client_response_headers(upstream: Iterable[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """Headers to send the caller: the service's (raw bytes, as received), minus hop-by-hop
    and the gateway's own; names in lower case."""
    pairs = [(k.lower(), v) for k, v in upstream]
    named = _connection_named((k.decode("latin-1"), v.decode("latin-1")) for k, v in pairs)
    drop = {name.encode("latin-1") for name in HOP_BY_HOP | _RESPONSE_OWN | named}
    return [(k, v) for k, v in pairs if k not in drop]
