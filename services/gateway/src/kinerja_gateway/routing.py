"""Which upstream service owns a path: the routing table by path prefix."""

from __future__ import annotations

from dataclasses import dataclass

from kinerja_gateway.settings import GatewaySettings

API_PREFIX = "/api/v1"

#: Service -> the path prefixes it serves (forwarded unchanged).
SERVICE_PREFIXES: dict[str, tuple[str, ...]] = {
    "appraisal": (f"{API_PREFIX}/appraisal",),
    "feedback": (f"{API_PREFIX}/feedback", f"{API_PREFIX}/open311"),
    "reporting": (f"{API_PREFIX}/reporting",),
    "webhooks": (f"{API_PREFIX}/webhooks",),
}

#: OAuth2 scope family of each service (`<family>:read` / `<family>:write`; a family of
#: access.SINGLE_SCOPES needs its one scope for every method).
SCOPE_FAMILIES: dict[str, str] = {
    "appraisal": "appraisal",
    "feedback": "feedback",
    "reporting": "reports",
    "webhooks": "webhooks",
}


@dataclass(frozen=True)
class Upstream:
    """One service behind the gateway."""

    name: str
    base_urls: tuple[str, ...]
    prefixes: tuple[str, ...]

    @property
    def base_url(self) -> str:
        """The first instance's base URL (the only one when the service runs once)."""
        return self.base_urls[0]

    @property
    def openapi_path(self) -> str:
        """Where the service serves its OpenAPI document."""
        return f"{self.prefixes[0]}/openapi.json"

    def owns(self, path: str) -> bool:
        """Whether the path is under one of its prefixes."""
        return any(path == p or path.startswith(p + "/") for p in self.prefixes)


def upstreams_from(settings: GatewaySettings) -> dict[str, Upstream]:
    """The routing table built from settings."""
    urls = settings.upstream_instances()
    return {
        name: Upstream(name=name, base_urls=urls[name], prefixes=prefixes)
        for name, prefixes in SERVICE_PREFIXES.items()
    }


def route(upstreams: dict[str, Upstream], path: str) -> Upstream | None:
    """The upstream owning `path`, if any."""
    return next((u for u in upstreams.values() if u.owns(path)), None)


def timeout_for(settings: GatewaySettings, path: str) -> float:
    """The response timeout of a path: the longest matching `route_timeouts` prefix, or default."""
    matches = [
        (len(prefix), seconds)
        for prefix, seconds in settings.route_timeouts.items()
        if path == prefix or path.startswith(prefix.rstrip("/") + "/")
    ]
    return max(matches)[1] if matches else settings.default_timeout_seconds
