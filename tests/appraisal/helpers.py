"""Helpers of the appraisal tests: tokens, valid NIPs and factory calls through the API."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

from httpx import AsyncClient

from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.auth import issue_token

_numbers = itertools.count(1)


def nip(n: int | None = None, *, sex: int = 1) -> str:
    """A valid, unique PNS NIP."""
    n = next(_numbers) if n is None else n
    birth = date(1975, 1, 1) + timedelta(days=n % 7000)
    return f"{birth:%Y%m%d}2005{(n % 12) + 1:02d}{sex}{(n % 999) + 1:03d}"


def pppk(n: int | None = None) -> str:
    """A valid, unique PPPK number (18 digits, not parsed)."""
    n = next(_numbers) if n is None else n
    return f"2021{n:014d}"


def headers(
    settings: AppraisalSettings,
    *roles: str,
    employee_id: str | None = None,
    subject: str | None = None,
    scopes: tuple[str, ...] = (),
) -> dict[str, str]:
    """Bearer headers of a caller with these roles."""
    token = issue_token(
        settings.auth,
        subject=subject or employee_id or "-".join(roles) or "nobody",
        roles=roles,
        employee_id=employee_id,
        scopes=scopes,
    )
    return {"Authorization": f"Bearer {token}"}


class World:
    """Builds organisation data through the API as BKPSDM."""

    def __init__(self, client: AsyncClient, settings: AppraisalSettings) -> None:
        self.client = client
        self.settings = settings
        self.admin = headers(settings, "bkpsdm_admin", subject="bkpsdm")
        self._codes = itertools.count(1)

    def as_employee(self, employee: dict[str, Any]) -> dict[str, str]:
        """Headers of an employee (role employee)."""
        return headers(self.settings, "employee", employee_id=employee["id"])

    def as_supervisor(self, employee: dict[str, Any]) -> dict[str, str]:
        """Headers of an employee acting as a supervisor."""
        return headers(self.settings, "employee", "supervisor", employee_id=employee["id"])

    async def unit(self, **fields: Any) -> dict[str, Any]:
        """Create a unit."""
        n = next(self._codes)
        body = {"code": f"U{n:04d}", "name": f"Unit {n}", "kind": "dinas", **fields}
        response = await self.client.post("/units", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def employee(self, unit: dict[str, Any], **fields: Any) -> dict[str, Any]:
        """Create an employee in a unit."""
        body = {
            "nip": nip(),
            "name": "Pegawai",
            "kind": "pns",
            "position": "Analis",
            "unit_id": unit["id"],
            **fields,
        }
        response = await self.client.post("/employees", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def period(self, key: str = "2026-Q1", **fields: Any) -> dict[str, Any]:
        """Create a period (quarterly 2026-Q1 by default)."""
        defaults: dict[str, Any] = {
            "2026": {
                "kind": "annual",
                "year": 2026,
                "starts_on": "2026-01-01",
                "ends_on": "2026-12-31",
            },
            "2026-Q1": {
                "kind": "quarterly",
                "year": 2026,
                "starts_on": "2026-01-01",
                "ends_on": "2026-03-31",
            },
            "2026-Q2": {
                "kind": "quarterly",
                "year": 2026,
                "starts_on": "2026-04-01",
                "ends_on": "2026-06-30",
            },
        }.get(key, {})
        body = {"key": key, **defaults, **fields}
        response = await self.client.post("/periods", json=body, headers=self.admin)
        assert response.status_code == 201, response.text
        return dict(response.json())

    async def advance(self, period: dict[str, Any], *actions: str) -> dict[str, Any]:
        """Move a period through actions (start, begin-assessment, close)."""
        result = period
        for action in actions:
            response = await self.client.post(
                f"/periods/{period['id']}/{action}", headers=self.admin
            )
            assert response.status_code == 200, response.text
            result = dict(response.json())
        return result
