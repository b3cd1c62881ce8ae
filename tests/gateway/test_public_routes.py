"""The table of routes open to an anonymous citizen with an app key."""

from __future__ import annotations

import pytest

from kinerja_gateway.public_routes import is_public


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/feedback/feedback"),
        ("GET", "/api/v1/feedback/track/TRK-ABC"),
        ("HEAD", "/api/v1/feedback/track/TRK-ABC"),
        ("POST", "/api/v1/feedback/track/TRK-ABC/withdraw"),
        ("POST", "/api/v1/feedback/track/TRK-ABC/reopen"),
        ("GET", "/api/v1/feedback/service-points"),
        ("GET", "/api/v1/feedback/service-points/by-slug/kantor-camat"),
        ("GET", "/api/v1/feedback/survey"),
        ("GET", "/api/v1/open311/services.json"),
        ("POST", "/api/v1/open311/requests.json"),
    ],
)
def test_these_routes_are_public(method: str, path: str) -> None:
    assert is_public(method, path)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/api/v1/feedback/feedback"),
        ("POST", "/api/v1/feedback/feedback/x"),
        ("GET", "/api/v1/feedback/track/a/b"),
        ("GET", "/api/v1/feedback/track/"),
        ("DELETE", "/api/v1/feedback/track/TRK-ABC"),
        ("POST", "/api/v1/feedback/service-points"),
        ("GET", "/api/v1/feedback/service-pointsX"),
        ("GET", "/api/v1/feedback/moderation/queue"),
        ("PUT", "/api/v1/open311/requests.json"),
        ("GET", "/api/v1/appraisal/units"),
        ("POST", "/api/v1/feedback/feedback/../moderation/queue"),
    ],
)
def test_these_routes_are_not(method: str, path: str) -> None:
    assert not is_public(method, path)
