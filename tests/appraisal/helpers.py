"""Helpers of the appraisal tests: tokens, valid NIPs and factory calls through the API."""

from __future__ import annotations

import itertools
import json
from datetime import date, timedelta
from typing import Any

from httpx import AsyncClient
from sqlalchemy import select

from kinerja_appraisal.models import metadata
from kinerja_appraisal.settings import AppraisalSettings
from kinerja_shared.auth import issue_token
from kinerja_shared.runtime import ServiceRuntime

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

    async def period(
        self, kind: str = "quarterly", year: int = 2026, number: int | None = 1
    ) -> dict[str, Any]:
        """Create a period (2026-Q1 by default)."""
        body: dict[str, Any] = {"kind": kind, "year": year}
        if kind != "annual":
            body["number"] = number
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


BERAKHLAK = (
    "berorientasi_pelayanan",
    "akuntabel",
    "kompeten",
    "harmonis",
    "loyal",
    "adaptif",
    "kolaboratif",
)


def perilaku(rating: str = "sesuai") -> dict[str, dict[str, str]]:
    """All seven BerAKHLAK values rated alike (with notes when not Sesuai)."""
    return {
        value: {"rating": rating, **({} if rating == "sesuai" else {"note": "seen often"})}
        for value in BERAKHLAK
    }


def ratings(hasil: str | None, overall: str = "sesuai") -> dict[str, Any]:
    """An assessment body: Hasil (None for a unit head) and uniform Perilaku."""
    body: dict[str, Any] = {"perilaku_values": perilaku(overall)}
    if hasil is not None:
        body["hasil"] = hasil
    return body


SIMPLE_PLAN = {
    "year": 2026,
    "rhk": [
        {
            "description": "Laporan pelayanan tersusun",
            "indicators": [
                {"description": "Jumlah laporan", "targets": {"kuantitas": "12 laporan"}}
            ],
        }
    ],
}


class Team:
    """A small organisation: S (sekda) heads the root; H heads unit U under S; A, B, C under H."""

    root: dict[str, Any]
    unit: dict[str, Any]
    s: dict[str, Any]
    h: dict[str, Any]
    a: dict[str, Any]
    b: dict[str, Any]
    c: dict[str, Any]

    @classmethod
    async def build(cls, world: World) -> Team:
        """Create the units and employees through the API."""
        team = cls()
        team.root = await world.unit(name="Sekretariat Daerah", kind="other")
        team.unit = await world.unit(name="Dinas Komunikasi", parent_id=team.root["id"])
        team.s = await world.employee(team.root, name="Sekda", position="Sekretaris Daerah")
        team.h = await world.employee(
            team.unit, name="Kadis", position="Kepala Dinas", supervisor_id=team.s["id"]
        )
        for attr, name in (("a", "Ayu"), ("b", "Bagus"), ("c", "Citra")):
            setattr(
                team,
                attr,
                await world.employee(team.unit, name=name, supervisor_id=team.h["id"]),
            )
        for unit, head in ((team.root, team.s), (team.unit, team.h)):
            response = await world.client.patch(
                f"/units/{unit['id']}", json={"head_employee_id": head["id"]}, headers=world.admin
            )
            assert response.status_code == 200, response.text
        return team

    @classmethod
    async def pair(cls, world: World) -> Team:
        """Only what an SKP needs: unit U with A under H (B, C and S are not created)."""
        team = cls()
        team.unit = await world.unit(name="Dinas Komunikasi")
        team.h = await world.employee(team.unit, name="Kadis", position="Kepala Dinas")
        team.a = await world.employee(team.unit, name="Ayu", supervisor_id=team.h["id"])
        return team

    def head(self, world: World, who: dict[str, Any]) -> dict[str, str]:
        """Headers of a supervisor who heads a unit (roles employee, supervisor, unit_head)."""
        return headers(world.settings, "employee", "supervisor", "unit_head", employee_id=who["id"])


class Finalised:
    """A Team whose 2026-Q1 assessments are final, with A's SKP submitted (not approved)."""

    team: Team
    period: dict[str, Any]
    assessments: dict[str, str]
    skp: dict[str, Any]

    def skp_items(self) -> list[dict[str, Any]]:
        """A's plan items as a request body."""
        return [
            {
                "description": rhk["description"],
                "indicators": [
                    {"description": i["description"], "targets": i["targets"]}
                    for i in rhk["indicators"]
                ],
            }
            for rhk in self.skp["rhk"]
        ]

    @classmethod
    async def build(cls, world: World) -> Finalised:
        """Plan, assess and finalise through the API."""
        state = cls()
        client = world.client
        team = state.team = await Team.build(world)
        state.period = await world.period()
        await world.advance(state.period, "start")
        created = await client.post("/skps", json=SIMPLE_PLAN, headers=world.as_employee(team.a))
        state.skp = created.json()
        await client.post(f"/skps/{state.skp['id']}/submit", headers=world.as_employee(team.a))
        await world.advance(state.period, "begin-assessment")
        response = await client.put(
            f"/periods/{state.period['id']}/units/{team.unit['id']}/organisation-predikat",
            json={"predikat": "baik"},
            headers=world.admin,
        )
        assert response.status_code == 200, response.text
        state.assessments = {}
        plan = {"a": "di_atas", "b": "sesuai", "c": "di_bawah"}
        for who, hasil in plan.items():
            body = {
                "employee_id": getattr(team, who)["id"],
                "period_id": state.period["id"],
                **ratings(hasil, "di_atas" if who == "a" else "sesuai"),
            }
            response = await client.post(
                "/assessments", json=body, headers=team.head(world, team.h)
            )
            assert response.status_code == 201, response.text
            state.assessments[who] = response.json()["id"]
        body = {"employee_id": team.h["id"], "period_id": state.period["id"], **ratings(None)}
        response = await client.post("/assessments", json=body, headers=team.head(world, team.s))
        assert response.status_code == 201, response.text
        state.assessments["h"] = response.json()["id"]
        response = await client.post(
            f"/periods/{state.period['id']}/units/{team.unit['id']}/finalize",
            headers=world.admin,
        )
        assert response.status_code == 200, response.text
        return state


async def hear_appraiser(world: World, team: Team, objection_id: str) -> None:
    """H, the appraiser of A, B and C, gives a statement on an objection."""
    response = await world.client.post(
        f"/objections/{objection_id}/statement",
        json={"statement": "Penilaian sesuai catatan"},
        headers=team.head(world, team.h),
    )
    assert response.status_code == 200, response.text


async def outbox_events(client: AsyncClient) -> list[dict[str, Any]]:
    """Every event queued in the outbox, as CloudEvents dicts, in order."""
    runtime: ServiceRuntime = client._transport.app.state.runtime  # type: ignore[attr-defined]
    outbox = metadata.tables["outbox"]
    async with runtime.sessions() as session:
        rows = (await session.execute(select(outbox.c.payload).order_by(outbox.c.id))).all()
    return [json.loads(row.payload) for row in rows]
