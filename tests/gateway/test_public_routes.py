"""The table of routes open to an anonymous citizen with an app key."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from kinerja_gateway.public_routes import is_open, is_public
from kinerja_gateway.settings import GatewaySettings


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/feedback/feedback"),
        ("POST", "/api/v1/feedback/track"),
        ("POST", "/api/v1/feedback/track/withdraw"),
        ("POST", "/api/v1/feedback/track/reopen"),
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
        ("GET", "/api/v1/feedback/track/TRK-ABC"),
        ("POST", "/api/v1/feedback/track/TRK-ABC/withdraw"),
        ("GET", "/api/v1/feedback/track"),
        ("DELETE", "/api/v1/feedback/track"),
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


def test_published_results_are_open_to_anyone() -> None:
    assert is_open("GET", "/api/v1/reporting/public/ikm/units/u1")
    assert is_open("HEAD", "/api/v1/reporting/public/follow-up-plans/p1")
    assert is_public("GET", "/api/v1/reporting/public/ikm/units")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/api/v1/reporting/public/ikm/units"),
        ("GET", "/api/v1/reporting/publicx"),
        ("GET", "/api/v1/reporting/ikm/units/u1"),
        ("POST", "/api/v1/feedback/feedback"),
        ("GET", "/api/v1/feedback/service-points"),
    ],
)
def test_these_routes_are_not_open(method: str, path: str) -> None:
    assert not is_open(method, path)


def test_settings_refuse_a_dashboard_part_with_an_unknown_service_or_placeholder() -> None:
    with pytest.raises(ValidationError, match="want '<service>:/path'"):
        GatewaySettings(dashboard_unit_parts={"x": "payroll:/api/v1/x"})
    with pytest.raises(ValidationError, match="unknown placeholder"):
        GatewaySettings(dashboard_unit_parts={"x": "reporting:/api/v1/{employee_id}"})


def test_settings_refuse_a_dashboard_part_that_is_not_about_the_dashboards_subject() -> None:
    # A part without its subject shows every employee's (or unit's) data on each dashboard.
    with pytest.raises(ValidationError, match="employee_id"):
        GatewaySettings(dashboard_employee_parts={"x": "appraisal:/api/v1/appraisal/objections"})
    with pytest.raises(ValidationError, match="unit_id"):
        GatewaySettings(dashboard_unit_parts={"x": "reporting:/api/v1/reporting/flags?p={period}"})


def test_the_default_dashboard_parts_are_each_about_the_dashboards_subject() -> None:
    settings = GatewaySettings()
    assert all("{employee_id}" in p for p in settings.dashboard_employee_parts.values())
    assert all("{unit_id}" in p for p in settings.dashboard_unit_parts.values())
