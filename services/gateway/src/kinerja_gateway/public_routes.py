"""The routes an anonymous citizen may call with a registered `X-App-Key` and no token, and
the open ones anyone may call with no credential at all (published results: a citizen reading
them on the city's website has no app key). Both are rate-limited per client address.

Everything else needs a bearer token. Patterns: `{name}` is one path segment, a trailing
`/**` any rest of the path (including none).

| method | path | what |
| --- | --- | --- |
| POST | /api/v1/feedback/feedback | submit feedback / an SKM answer set (Idempotency-Key) |
| POST | /api/v1/feedback/track | follow a submission by its tracking code (in the body) |
| POST | /api/v1/feedback/track/withdraw | withdraw it |
| POST | /api/v1/feedback/track/reopen | reopen a resolved complaint |
| GET | /api/v1/feedback/service-points/** | search service points, QR (slug) look-up |
| GET | /api/v1/feedback/survey/** | the SKM questionnaire |
| GET, POST | /api/v1/open311/** | Open311 GeoReport v2 (services, requests) |
| GET (open) | /api/v1/reporting/public/** | published IKM results and follow-up plans |
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PublicRoute:
    """One public method + path pattern; `open`: no app key needed either."""

    methods: frozenset[str]
    pattern: str
    open: bool = False

    def regex(self) -> re.Pattern[str]:
        """The pattern compiled to a full-match regular expression."""
        rest = self.pattern.endswith("/**")
        base = self.pattern[: -len("/**")] if rest else self.pattern
        body = re.sub(r"\\\{[A-Za-z_][A-Za-z0-9_]*\\\}", r"[^/]+", re.escape(base))
        return re.compile(f"^{body}(/.*)?$" if rest else f"^{body}/?$")


PUBLIC_ROUTES: tuple[PublicRoute, ...] = (
    PublicRoute(frozenset({"POST"}), "/api/v1/feedback/feedback"),
    PublicRoute(frozenset({"POST"}), "/api/v1/feedback/track"),
    PublicRoute(frozenset({"POST"}), "/api/v1/feedback/track/withdraw"),
    PublicRoute(frozenset({"POST"}), "/api/v1/feedback/track/reopen"),
    PublicRoute(frozenset({"GET"}), "/api/v1/feedback/service-points/**"),
    PublicRoute(frozenset({"GET"}), "/api/v1/feedback/survey/**"),
    PublicRoute(frozenset({"GET", "POST"}), "/api/v1/open311/**"),
    # docs/domain.md, "Publication of results and follow-up plans (rencana tindak lanjut)"
    PublicRoute(frozenset({"GET"}), "/api/v1/reporting/public/**", open=True),
)

_COMPILED = tuple((r.methods, r.regex()) for r in PUBLIC_ROUTES)
_OPEN = tuple((r.methods, r.regex()) for r in PUBLIC_ROUTES if r.open)


def _method(method: str) -> str:
    return "GET" if method.upper() == "HEAD" else method.upper()


def is_public(method: str, path: str) -> bool:
    """Whether `method path` is in the public table (HEAD counts as GET)."""
    method = _method(method)
    return any(method in methods and rx.match(path) for methods, rx in _COMPILED)


def is_open(method: str, path: str) -> bool:
    """Whether `method path` is a public route that needs no credential at all."""
    method = _method(method)
    return any(method in methods and rx.match(path) for methods, rx in _OPEN)


#: Paths logged only as their pattern though no public route serves them: tracking codes
#: belong in bodies, but a client may still put one in a path (as an earlier API did).
SECRET_BEARING = (PublicRoute(frozenset(), "/api/v1/feedback/track/**"),)

_PATTERNS = tuple((r.pattern, r.regex()) for r in (*PUBLIC_ROUTES, *SECRET_BEARING))


def public_pattern(path: str) -> str | None:
    """The pattern of the public route a path falls under, whatever the method: what the access
    log shows instead of a path that may carry a citizen's tracking code."""
    return next((pattern for pattern, rx in _PATTERNS if rx.match(path)), None)
